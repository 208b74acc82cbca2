"""The agent for LangGraph Server and Studio (`langgraph dev`, see langgraph.json at the repository root).

The default planner (`make_planner()`: Claude when ANTHROPIC_API_KEY is set, else the offline one) and no
checkpointer: the server brings its own. The tools use the app's store (`knowledge.db.get_engine()`). Each
run names its user in its context, e.g. `{"email": "maria.gonzalez@summitvm.example", "channel": "web"}`
(see agent.run_context.Context); a WRITE tool stops at an interrupt that is resumed with "yes" or "no".
"""

from agent.graph import build_graph
from agent.runner import make_planner

graph = build_graph(make_planner(), None)
