"""`/sms/inbound` and `/sms/status`: every webhook validated with Twilio's RequestValidator (403 otherwise)
against the URL Twilio called — behind a proxy rebuilt from PUBLIC_BASE_URL or X-Forwarded-Proto/Host.
Inbound messages are answered with empty TwiML at once; the background worker claims them by MessageSid (a
redelivery is dropped), honours STOP/START/HELP and replies through the REST API."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator, get_signature_algorithm

from channels.hub import ChannelHub
from channels.messages import InboundMessage, OutboundReply, PhotoAttachment
from channels.sms.twilio_api import IMAGE_TYPES, SmsResponder, TwilioMediaFetcher

log = logging.getLogger(__name__)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
OPT_IN = frozenset({"START", "UNSTOP", "YES"})
HELP = frozenset({"HELP", "INFO"})
HELP_TEXT = ("Partpilot finds spare parts: text a part number, a description or a photo of the nameplate. "
             "Reply STOP to stop messages, START to resume.")


def public_url(request: Request, public_base_url: str | None) -> str:
    """The URL Twilio signed: the configured public base, else the proxy's forwarded scheme and host."""
    query = f"?{request.url.query}" if request.url.query else ""
    if public_base_url:
        return f"{public_base_url.rstrip('/')}{request.url.path}{query}"
    proto = request.headers.get("x-forwarded-proto", request.url.scheme).split(",")[0].strip()
    host = request.headers.get("x-forwarded-host", request.headers.get("host", request.url.netloc)).split(",")[0]
    return f"{proto}://{host.strip()}{request.url.path}{query}"


def _twiml() -> Response:
    return Response(EMPTY_TWIML, media_type="application/xml")


def sms_router(hub: ChannelHub) -> APIRouter:
    settings = hub.settings
    validator = RequestValidator(settings.twilio_auth_token or "")
    responder = SmsResponder(settings, hub.ledger)
    fetch = TwilioMediaFetcher(settings)
    router = APIRouter(prefix="/sms", tags=["sms"])

    async def verified_form(request: Request) -> tuple[FormData, str] | None:
        form = await request.form()
        url = public_url(request, settings.public_base_url)
        algorithm = get_signature_algorithm(request.headers.get("x-twilio-webhooks-signature-settings"))
        signature = request.headers.get("x-twilio-signature", "")
        if not signature or not validator.validate(url, form, signature, algorithm=algorithm):
            log.warning("rejected an unsigned or forged Twilio webhook for %s", url)
            return None
        return form, url

    @router.post("/inbound", include_in_schema=False)
    async def inbound(request: Request) -> Response:
        verified = await verified_form(request)
        if verified is None:
            return Response("invalid signature", status_code=403)
        form, url = verified
        message = inbound_from_form(form, status_callback=url.rsplit("/sms/", 1)[0] + "/sms/status")
        sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
        if sid:  # claimed, like everything slow, in the background: Twilio gets its TwiML at once
            hub.worker.submit(message.conversation_key, lambda: _answer(hub, responder, fetch, message, sid))
        return _twiml()

    @router.post("/status", include_in_schema=False)
    async def status(request: Request) -> Response:
        verified = await verified_form(request)
        if verified is None:
            return Response("invalid signature", status_code=403)
        form, _ = verified
        sid, state = str(form.get("MessageSid") or ""), str(form.get("MessageStatus") or "")
        error = str(form.get("ErrorCode") or "") or None
        if sid and state:
            await run_in_threadpool(hub.ledger.record_status, "sms", sid, state, error)
        return Response(status_code=204)

    return router


def inbound_from_form(form: FormData, status_callback: str) -> InboundMessage:
    sender = str(form.get("From") or "")
    photos, refused = [], []
    count = str(form.get("NumMedia") or "0")
    for i in range(min(int(count) if count.isdigit() else 0, 10)):
        url, kind = str(form.get(f"MediaUrl{i}") or ""), str(form.get(f"MediaContentType{i}") or "")
        if url and kind.split(";")[0].strip().lower() in IMAGE_TYPES:
            photos.append(PhotoAttachment(url=url, content_type=kind, name=f"photo {i + 1}"))
        else:
            refused.append(f"the {kind or 'attached'} file")
    return InboundMessage(channel="sms", sender=sender, conversation_key=f"sms:{sender}",
                          text=str(form.get("Body") or "").strip(), photos=tuple(photos), refused=tuple(refused),
                          reply_to={"to": sender, "status_callback": status_callback}, numbers_choices=True)


def _keyword_action(hub: ChannelHub, message: InboundMessage) -> str:
    """"silent", "help" or "agent" for STOP / START / HELP and ordinary messages. Twilio itself confirms STOP
    and START to the handset on long codes, so those are only recorded; an opted-out number gets nothing."""
    word = message.text.strip().upper().rstrip(".!")
    if word in OPT_OUT:
        hub.ledger.opt_out("sms", message.sender)
        return "silent"
    if hub.ledger.opted_out("sms", message.sender):
        if word in OPT_IN:
            hub.ledger.opt_in("sms", message.sender)
        return "silent"
    if word in ("START", "UNSTOP"):
        return "silent"
    return "help" if word in HELP else "agent"


def _answer(hub: ChannelHub, responder: SmsResponder, fetch: TwilioMediaFetcher, message: InboundMessage,
            sid: str) -> None:
    if not hub.ledger.claim("sms", sid, message.conversation_key):
        log.info("Twilio redelivered %s: already handled", sid)
        return
    action = _keyword_action(hub, message)
    if action == "silent":
        return
    reply = (OutboundReply(HELP_TEXT, kind="notice") if action == "help"
             else hub.conversations.answer(message, fetch))
    responder.send(reply, message.reply_to["to"], message.conversation_key, message.reply_to.get("status_callback"))
