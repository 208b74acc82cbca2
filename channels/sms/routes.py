"""`/sms/inbound` and `/sms/status`: every webhook validated with Twilio's RequestValidator (403 otherwise)
against the URL Twilio called — behind a proxy rebuilt from PUBLIC_BASE_URL or X-Forwarded-Proto/Host.
An inbound message is answered with empty TwiML once its job is committed to the queue; the job
(sms/turns.py) claims it by MessageSid (a redelivery is dropped), honours STOP/START/HELP and replies through
the REST API."""

from __future__ import annotations

import logging
from dataclasses import asdict

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator, get_signature_algorithm

from channels.hub import ChannelHub
from channels.jobs import TurnJob
from channels.messages import InboundMessage, PhotoAttachment
from channels.sms.twilio_api import IMAGE_TYPES

log = logging.getLogger(__name__)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


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

    @router.post("/inbound", include_in_schema=False, name="sms_inbound")
    async def inbound(request: Request) -> Response:
        verified = await verified_form(request)
        if verified is None:
            return Response("invalid signature", status_code=403)
        form, url = verified
        message = inbound_from_form(form, status_callback=url.rsplit("/sms/", 1)[0] + "/sms/status")
        sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
        if sid:  # Twilio gets its TwiML once the job is committed (a store that is down: 503, Twilio retries)
            job = TurnJob("sms", "message", message.conversation_key, [sid], {"message": asdict(message)})
            await run_in_threadpool(hub.queue.enqueue, job)
        return _twiml()

    @router.post("/status", include_in_schema=False, name="sms_status")
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
