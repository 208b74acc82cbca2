"""The chat widget's sign-in without a secret in page HTML: an organization's publishable widget key plus a
user token its own servers sign (tokens.py). `caller_for_widget` is what the API checks; `widget_key_for`
and `mint_user_token` are for the CLI, the demo page and tests (identity.py)."""

from tools.widget_auth.identity import (
    UnknownOrganization,
    WidgetKeyRow,
    caller_for_widget,
    mint_user_token,
    widget_key_for,
)
from tools.widget_auth.tokens import BadToken, sign_user_token, verify_user_token

__all__ = ["BadToken", "UnknownOrganization", "WidgetKeyRow", "caller_for_widget", "mint_user_token",
           "sign_user_token", "verify_user_token", "widget_key_for"]
