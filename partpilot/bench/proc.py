"""What a benchmarked server process costs, read from Linux's /proc: CPU time of it and its children, resident
memory, the shared libraries it has mapped."""

from __future__ import annotations

import os
from pathlib import Path

_PROC = Path("/proc")


def _stat_fields(pid: int) -> list[str]:
    raw = (_PROC / str(pid) / "stat").read_text()
    # the command name (field 2) is in parentheses and may hold spaces: split after its closing one
    return raw[raw.rindex(")") + 2 :].split()


def descendants(pid: int) -> list[int]:
    """The processes below `pid` (uvicorn's worker processes, their children), by scanning /proc."""
    parents: dict[int, list[int]] = {}
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int(_stat_fields(int(entry.name))[1])
        except (OSError, ValueError, IndexError):  # the process ended while we looked
            continue
        parents.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found.extend(children)
        todo.extend(children)
    return found


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of `pid` and every live descendant, plus the children they have reaped."""
    ticks = 0
    for each in (pid, *descendants(pid)):
        try:
            fields = _stat_fields(each)
        except OSError:
            continue
        # utime, stime, cutime, cstime are fields 14-17 of /proc/<pid>/stat; [0] here is field 3
        ticks += sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident set size (VmRSS) in MB."""
    for line in (_PROC / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def serving_rss_mb(pid: int) -> list[float]:
    """Resident MB of each process that serves requests: uvicorn's worker processes under `pid`, or `pid`
    itself when it serves alone (an encoder build's child, if one runs, is not a server)."""
    workers = [child for child in descendants(pid) if "spawn_main" in _command_line(child)]
    return [round(rss_mb(p), 1) for p in (workers or [pid])]


def _command_line(pid: int) -> str:
    try:
        return (_PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def mapped_libraries(pid: int) -> set[str]:
    """File names of the shared objects mapped into the process (`libtorch_cpu.so`, ...)."""
    names = set()
    for line in (_PROC / str(pid) / "maps").read_text().splitlines():
        fields = line.split(maxsplit=5)  # address, perms, offset, device, inode, then the path if any
        if len(fields) == 6 and ".so" in fields[5]:
            names.add(fields[5].rsplit("/", 1)[-1])
    return names
