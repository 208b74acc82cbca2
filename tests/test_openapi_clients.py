"""Clients generated from the app's OpenAPI document work: openapi-python-client's package (its modules named by
the clean operation ids) searches the catalog (with `total`), pages a list and uploads a photo as multipart
through a real uvicorn server; openapi-typescript's types (file fields as Blob, its documented transform) pass
tsc as a client would use them. Operation ids are the route functions' names and a collision fails the build."""

from __future__ import annotations

import importlib
import io
import json
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from PIL import Image
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api.app import create_api
from api.openapi import DuplicateOperationIdError, check_operation_ids
from api.server import serve_in_thread
from partpilot.wiring import create_app
from tests.tool_helpers import MARIA
from tools.context import caller_by_email, create_api_key
from tools.photos.store import load_photo_bytes

REPO = Path(__file__).resolve().parent.parent
PYTHON_GENERATOR = REPO / ".venv" / "bin" / "openapi-python-client"
NODE_DIR = REPO / "tests" / "node" / "openapi"
PACKAGE = "partpilot_generated_client"
# Generated clients cannot parse a PDF response unless told it is bytes (the invoice download).
GENERATOR_CONFIG = {"post_hooks": [], "content_type_overrides": {"application/pdf": "application/octet-stream"}}


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app()


@pytest.fixture(scope="module")
def schema_file(app: FastAPI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    path.write_text(json.dumps(app.openapi()))
    return path


@pytest.fixture(scope="module")
def typescript_run(schema_file: Path) -> Iterator[subprocess.Popen[str] | str]:
    """openapi-typescript and tsc on the schema (tests/node/openapi/generate.mjs), started at once to run beside
    the Python client's generation; or why they cannot run."""
    node = shutil.which("node")
    if node is None:
        yield "node is not installed (openapi-typescript runs on node)"
        return
    if not (NODE_DIR / "node_modules" / "openapi-typescript").is_dir():
        yield f"openapi-typescript is not installed: npm ci --prefix {NODE_DIR.relative_to(REPO)}"
        return
    out = schema_file.parent / "typescript"
    out.mkdir()
    with subprocess.Popen([node, str(NODE_DIR / "generate.mjs"), str(schema_file), str(out)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as run:
        yield run
        run.kill()


@pytest.fixture(scope="module")
def client_package(schema_file: Path, typescript_run: object) -> Iterator[ModuleType]:
    """The package openapi-python-client generates from the schema, imported."""
    out = schema_file.parent
    config = out / "config.json"
    config.write_text(json.dumps(GENERATOR_CONFIG))
    done = subprocess.run([str(PYTHON_GENERATOR), "generate", "--path", str(schema_file), "--output-path",
                           str(out / PACKAGE), "--meta", "none", "--config", str(config)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Warning" not in done.stdout, done.stdout[-3000:]
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def base_url(app: FastAPI, engine: Engine) -> Iterator[str]:
    with serve_in_thread(app) as base:
        yield base


def generated(package: ModuleType, module: str) -> Any:
    return importlib.import_module(f"{package.__name__}.{module}")


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((320, 240), 40).convert("RGB").save(out, "JPEG")
    return out.getvalue()


def test_the_python_client_searches_pages_and_uploads(client_package: ModuleType, base_url: str,
                                                      engine: Engine) -> None:
    client = generated(client_package, "client").AuthenticatedClient(
        base_url=base_url, token=create_api_key(engine, MARIA, label="generated client"))
    search = generated(client_package, "api.catalog.search_catalog")
    low_stock = generated(client_package, "api.inventory.low_stock_alerts")
    upload = generated(client_package, "api.uploads.upload_photo")
    models = generated(client_package, "models")
    file_type = generated(client_package, "types").File

    found = search.sync_detailed(client=client, q="GAA26800LC1", page_size=2)
    assert found.status_code == 200, found.content[:500]
    assert found.parsed.items[0].part_number == "GAA26800LC1"
    assert found.parsed.total >= len(found.parsed.items) and found.parsed.has_more == (found.parsed.total > 2)
    assert not found.parsed.total_capped

    first, second = (low_stock.sync_detailed(client=client, page=page, page_size=2) for page in (1, 2))
    assert first.status_code == second.status_code == 200
    assert len(first.parsed.items) == 2 and first.parsed.total > 2 and first.parsed.has_more
    assert not {a.item.id for a in first.parsed.items} & {a.item.id for a in second.parsed.items}

    photo = jpeg()
    body = models.BodyUploadPhoto(file=file_type(payload=io.BytesIO(photo), file_name="plate.jpg",
                                                 mime_type="image/jpeg"))
    sent = upload.sync_detailed(client=client, body=body)
    assert sent.status_code == 201, sent.content[:500]
    assert sent.parsed.content_type == "image/jpeg" and sent.parsed.size_bytes == len(photo)
    with Session(engine) as session:
        assert load_photo_bytes(session, caller_by_email(engine, MARIA), sent.parsed.id) == photo


def test_the_typescript_types_take_blobs_for_files(typescript_run: subprocess.Popen[str] | str,
                                                   schema_file: Path) -> None:
    if isinstance(typescript_run, str):
        pytest.skip(typescript_run)
    out, err = typescript_run.communicate(timeout=120)
    assert typescript_run.returncode == 0, out[-3000:] + err[-3000:]  # tsc's complaints about check.ts, if any
    types = (schema_file.parent / "typescript" / "api.d.ts").read_text()
    assert "file: Blob;" in types and "image: Blob;" in types


def test_operation_ids_are_route_names(app: FastAPI) -> None:
    ids = [op["operationId"] for item in app.openapi()["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert {"search_catalog", "upload_photo", "identify_part", "received_offers", "low_stock_alerts"} <= set(ids)
    assert not [i for i in ids if "api_v1" in i or "__" in i], "FastAPI's default ids name the path and method"


def test_two_routes_with_one_name_fail_the_build() -> None:
    api = create_api()

    @api.get(f"/again-{uuid.uuid4().hex[:6]}")
    def search_catalog() -> dict[str, str]:
        return {}

    with pytest.raises(DuplicateOperationIdError, match="search_catalog"):
        check_operation_ids(api)
