"""A fake Telegram Bot API server on 127.0.0.1 for tests and benchmarks.

It speaks the Bot API's HTTP protocol well enough for python-telegram-bot: getMe, getUpdates
(long polling over updates the test injects), sendMessage, editMessageText, sendPhoto,
answerCallbackQuery, setMyCommands, deleteWebhook... It is strict where Telegram is: HTML parse
mode with Telegram's tag list and escaping, 4,096 characters after entity parsing, flood limits
answered with 429 and `retry_after` (token buckets: 30/s overall, about 1/s per chat with short
bursts, 20/min per group), 403 for chats marked blocked, 400 "chat not found" for unknown chats.
Every call is recorded. `FeedHost` serves feed documents the test can change.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT_ID = 7000001
ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
# Methods that put a message in a chat count against the flood limits.
FLOOD_METHODS = frozenset({"sendMessage", "editMessageText", "sendPhoto"})


class EntityError(ValueError):
    """The text is not valid Telegram HTML."""


def parse_entities(text: str) -> str:
    """The visible text of Telegram-HTML `text`, or EntityError as Telegram would refuse it."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            end = text.find(">", i)
            if end < 0:
                raise EntityError(f"Unclosed start tag at byte offset {i}")
            inner = text[i + 1 : end].strip()
            if inner.startswith("/"):
                name = inner[1:].strip().lower()
                if not stack or stack[-1] != name:
                    raise EntityError(f'Unmatched end tag at byte offset {i}, expected "{name}"')
                stack.pop()
            else:
                name = inner.split(None, 1)[0].lower() if inner else ""
                if name not in ALLOWED_TAGS:
                    raise EntityError(f'Unsupported start tag "{name}" at byte offset {i}')
                attrs = {
                    m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
                    for m in _ATTR.finditer(inner[len(name) :])
                }
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise EntityError(f'Tag "span" must have class "tg-spoiler" at byte offset {i}')
                if name == "tg-emoji" and "emoji-id" not in attrs:
                    raise EntityError(f'Tag "tg-emoji" must have attribute "emoji-id" at {i}')
                stack.append(name)
            i = end + 1
        elif ch == "&":
            match = _ENTITY.match(text, i)
            if match is None:
                raise EntityError(f"Unsupported entity at byte offset {i}")
            out.append(html.unescape(match.group(0)))
            i = match.end()
        elif ch == ">":
            raise EntityError(f'Character ">" is reserved at byte offset {i}')
        else:
            out.append(ch)
            i += 1
    if stack:
        raise EntityError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class TokenBucket:
    """`rate` tokens a second, holding at most `capacity`."""

    def __init__(self, rate: float, capacity: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.stamp = time.monotonic()

    def _refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_needed(self, now: float) -> float:
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int
    at: float
    description: str = ""


@dataclass
class ChatState:
    id: int
    type: str
    title: str = ""
    blocked: bool = False
    # users getChatMember reports as the group's administrators
    admins: set[int] = field(default_factory=set)
    next_message_id: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    # message id -> the message's record (html source, visible text, flags)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)


class FakeBotApi:
    """The server; start() it, point python-telegram-bot's base_url at `base_url`."""

    def __init__(
        self,
        *,
        overall_rate: float = 30.0,
        chat_rate: float = 1.0,
        chat_burst: float = 3.0,
        group_per_minute: float = 20.0,
        long_poll_cap: float = 1.0,
    ) -> None:
        self.overall_rate = overall_rate
        self.chat_rate = chat_rate
        self.chat_burst = chat_burst
        self.group_per_minute = group_per_minute
        self.long_poll_cap = long_poll_cap
        self.lock = threading.Lock()
        self.updates_changed = threading.Condition(self.lock)
        self.calls: list[Call] = []
        self.chats: dict[int, ChatState] = {}
        self.updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._overall = TokenBucket(overall_rate, overall_rate)
        self._buckets: dict[int, TokenBucket] = {}
        self.drop_next = 0
        self.record_calls = True
        self.counts: dict[tuple[str, int], int] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---

    def start(self) -> FakeBotApi:
        handler = type("Handler", (_Handler,), {"api": self})
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            with self.updates_changed:
                self.updates_changed.notify_all()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # --- test controls ---

    def add_chat(self, chat_id: int, chat_type: str = "private", title: str = "") -> ChatState:
        with self.lock:
            return self._chat(chat_id, chat_type, title)

    def _chat(self, chat_id: int, chat_type: str = "private", title: str = "") -> ChatState:
        if chat_id not in self.chats:
            self.chats[chat_id] = ChatState(chat_id, chat_type, title)
        return self.chats[chat_id]

    def make_admin(self, chat_id: int, user_id: int) -> None:
        with self.lock:
            self._chat(chat_id).admins.add(user_id)

    def block(self, chat_id: int) -> None:
        with self.lock:
            self._chat(chat_id).blocked = True

    def inject_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        title: str = "",
    ) -> int:
        """Queue an update with a message from a user, as getUpdates will deliver it."""
        with self.updates_changed:
            chat = self._chat(chat_id, chat_type, title)
            message_id = next(chat.next_message_id)
            message: dict[str, Any] = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self._chat_json(chat),
                "from": {"id": user_id or chat_id, "is_bot": False, "first_name": "Tester"},
                "text": text,
            }
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
                ]
            chat.messages[message_id] = {"html": text, "text": text, "from_user": True}
            self._push({"message": message})
            return message_id

    def inject_callback(self, chat_id: int, message_id: int, data: str, user_id: int) -> None:
        with self.updates_changed:
            chat = self._chat(chat_id)
            record = chat.messages.get(message_id, {"text": ""})
            self._push(
                {
                    "callback_query": {
                        "id": str(next(self._update_ids)),
                        "from": {"id": user_id, "is_bot": False, "first_name": "Tester"},
                        "chat_instance": str(chat_id),
                        "data": data,
                        "message": {
                            "message_id": message_id,
                            "date": int(time.time()),
                            "chat": self._chat_json(chat),
                            "from": self.me(),
                            "text": record["text"],
                        },
                    }
                }
            )

    def _push(self, update: dict[str, Any]) -> None:
        update["update_id"] = next(self._update_ids)
        self.updates.append(update)
        self.updates_changed.notify_all()

    # --- inspection ---

    def calls_of(self, method: str, status: int | None = 200) -> list[Call]:
        with self.lock:
            return [
                c
                for c in self.calls
                if c.method == method and (status is None or c.status == status)
            ]

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the bot sent in a chat, oldest first (each: id, html, text, edits...)."""
        with self.lock:
            chat = self.chats.get(chat_id)
            if chat is None:
                return []
            return [
                {"message_id": mid, **m}
                for mid, m in sorted(chat.messages.items())
                if not m.get("from_user")
            ]

    def count(self, method: str, status: int) -> int:
        with self.lock:
            return self.counts.get((method, status), 0)

    # --- protocol ---

    def me(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Green Zone Watch",
            "username": "greenzone_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    @staticmethod
    def _chat_json(chat: ChatState) -> dict[str, Any]:
        data: dict[str, Any] = {"id": chat.id, "type": chat.type}
        if chat.type == "private":
            data["first_name"] = "Tester"
        else:
            data["title"] = chat.title or f"chat {chat.id}"
        return data

    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "getUpdates":
            return self._get_updates(params)
        with self.lock:
            status, body = self._dispatch(method, params)
            key = (method, status)
            self.counts[key] = self.counts.get(key, 0) + 1
            if self.record_calls:
                self.calls.append(
                    Call(method, params, status, time.monotonic(), body.get("description", ""))
                )
            return status, body

    def _dispatch(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        simple: dict[str, Any] = {
            "getMe": self.me(),
            "deleteWebhook": True,
            "setWebhook": True,
            "setMyCommands": True,
            "deleteMyCommands": True,
            "answerCallbackQuery": True,
            "sendChatAction": True,
            "close": True,
            "logOut": True,
            "getWebhookInfo": {
                "url": "",
                "has_custom_certificate": False,
                "pending_update_count": 0,
            },
        }
        if method in simple:
            return _ok(simple[method])
        handlers = {
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "sendPhoto": self._send_photo,
            "getChatMember": self._get_chat_member,
        }
        if method not in handlers:
            return _error(404, "Not Found: method not found")
        chat_id = _int(params.get("chat_id"))
        chat = self.chats.get(chat_id) if chat_id is not None else None
        if chat is None:
            return _error(400, "Bad Request: chat not found")
        if chat.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        if method == "getChatMember":
            # Lookups are not messages: Telegram's flood limits count sends.
            return handlers[method](chat, params)
        wait = self._flood_wait(chat)
        if wait > 0:
            retry = max(1, math.ceil(wait))
            return 429, {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry}",
                "parameters": {"retry_after": retry},
            }
        return handlers[method](chat, params)

    def _flood_wait(self, chat: ChatState) -> float:
        now = time.monotonic()
        bucket = self._buckets.get(chat.id)
        if bucket is None:
            if chat.type == "private":
                bucket = TokenBucket(self.chat_rate, self.chat_burst)
            else:
                bucket = TokenBucket(self.group_per_minute / 60.0, self.group_per_minute)
            self._buckets[chat.id] = bucket
        wait = max(self._overall.wait_needed(now), bucket.wait_needed(now))
        if wait <= 0:
            self._overall.take()
            bucket.take()
        return wait

    def _message(self, chat: ChatState, message_id: int, extra: dict[str, Any]) -> dict[str, Any]:
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat_json(chat),
            "from": self.me(),
            **extra,
        }

    def _checked_text(
        self, raw: str, parse_mode: str | None, limit: int
    ) -> tuple[str | None, tuple[int, dict[str, Any]] | None]:
        if parse_mode and parse_mode.upper() == "HTML":
            try:
                visible = parse_entities(raw)
            except EntityError as exc:
                return None, _error(400, f"Bad Request: can't parse entities: {exc}")
        else:
            visible = raw
        if not visible.strip():
            return None, _error(400, "Bad Request: message text is empty")
        if utf16_len(visible) > limit:
            what = "message is too long" if limit == 4096 else "message caption is too long"
            return None, _error(400, f"Bad Request: {what}")
        return visible, None

    def _get_chat_member(
        self, chat: ChatState, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        user_id = _int(params.get("user_id"))
        if user_id is None:
            return _error(400, "Bad Request: invalid user_id specified")
        user = {"id": user_id, "is_bot": False, "first_name": "Tester"}
        if user_id not in chat.admins:
            return _ok({"status": "member", "user": user})
        rights = (
            "can_be_edited is_anonymous can_manage_chat can_delete_messages "
            "can_manage_video_chats can_restrict_members can_promote_members can_change_info "
            "can_invite_users can_post_stories can_edit_stories can_delete_stories"
        )
        return _ok({"status": "administrator", "user": user} | dict.fromkeys(rights.split(), False))

    def _send_message(self, chat: ChatState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        raw = str(params.get("text", ""))
        visible, error = self._checked_text(raw, params.get("parse_mode"), 4096)
        if error is not None:
            return error
        message_id = next(chat.next_message_id)
        reply = _json(params.get("reply_parameters")) or {}
        chat.messages[message_id] = {
            "html": raw,
            "text": visible,
            "silent": _bool(params.get("disable_notification")),
            "thread_id": _int(params.get("message_thread_id")),
            "reply_to": _int(reply.get("message_id")),
            "link_preview_options": _json(params.get("link_preview_options")),
            "edits": 0,
        }
        return _ok(self._message(chat, message_id, {"text": visible}))

    def _edit_message_text(
        self, chat: ChatState, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        message_id = _int(params.get("message_id"))
        record = chat.messages.get(message_id or -1)
        if record is None or record.get("from_user"):
            return _error(400, "Bad Request: message to edit not found")
        raw = str(params.get("text", ""))
        visible, error = self._checked_text(raw, params.get("parse_mode"), 4096)
        if error is not None:
            return error
        if raw == record["html"]:
            return _error(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup of "
                "the message",
            )
        record.update(html=raw, text=visible, edits=record["edits"] + 1)
        assert message_id is not None
        return _ok(self._message(chat, message_id, {"text": visible}))

    def _send_photo(self, chat: ChatState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        photo = params.get("photo")
        if not photo:
            return _error(400, "Bad Request: there is no photo in the request")
        caption = str(params.get("caption", ""))
        visible = ""
        if caption:
            checked, error = self._checked_text(caption, params.get("parse_mode"), 1024)
            if error is not None:
                return error
            visible = checked or ""
        message_id = next(chat.next_message_id)
        size = len(photo) if isinstance(photo, bytes) else 0
        chat.messages[message_id] = {
            "html": caption,
            "text": visible,
            "photo_bytes": size,
            "edits": 0,
        }
        photo_json = [
            {
                "file_id": f"photo{message_id}",
                "file_unique_id": f"u{message_id}",
                "width": 800,
                "height": 600,
                "file_size": size,
            }
        ]
        return _ok(self._message(chat, message_id, {"photo": photo_json, "caption": visible}))

    def _get_updates(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        offset = _int(params.get("offset")) or 0
        timeout = min(float(params.get("timeout") or 0), self.long_poll_cap)
        deadline = time.monotonic() + timeout
        with self.updates_changed:
            # A getUpdates with an offset confirms every update before it.
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline and self._server is not None:
                self.updates_changed.wait(max(0.0, deadline - time.monotonic()))
            result = list(self.updates[: _int(params.get("limit")) or 100])
            self.counts[("getUpdates", 200)] = self.counts.get(("getUpdates", 200), 0) + 1
        return _ok(result)


def _ok(result: Any) -> tuple[int, dict[str, Any]]:
    return 200, {"ok": True, "result": result}


def _error(code: int, description: str) -> tuple[int, dict[str, Any]]:
    return code, {"ok": False, "error_code": code, "description": description}


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _bool(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients closing keep-alive connections at shutdown are not errors of the test.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    api: FakeBotApi

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _params(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        ctype = self.headers.get("Content-Type", "")
        query = urllib.parse.urlsplit(self.path).query
        params: dict[str, Any] = dict(urllib.parse.parse_qsl(query))
        if ctype.startswith("application/json") and body:
            params.update(json.loads(body))
        elif ctype.startswith("application/x-www-form-urlencoded"):
            params.update(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        elif ctype.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                f"Content-Type: {ctype}\r\n\r\n".encode() + body
            )
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True)
                if not isinstance(name, str) or not isinstance(payload, bytes):
                    continue
                is_file = part.get_filename() is not None
                params[name] = payload if is_file else payload.decode("utf-8")
        return params

    def _respond(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _serve(self) -> None:
        parts = urllib.parse.urlsplit(self.path).path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            self._respond(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        params = self._params()
        with self.api.lock:
            drop = self.api.drop_next > 0
            if drop:
                self.api.drop_next -= 1
        if drop:
            # A network failure: the connection closes with no answer at all.
            self.close_connection = True
            return
        status, body = self.api.handle(parts[1], params)
        self._respond(status, body)

    do_POST = _serve
    do_GET = _serve


class FeedHost:
    """Serves feed documents on 127.0.0.1 at paths the test sets and changes."""

    def __init__(self) -> None:
        self.documents: dict[str, tuple[bytes, str]] = {}
        self.gone: set[str] = set()
        self.hits: list[str] = []
        host = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = urllib.parse.urlsplit(self.path).path
                host.hits.append(path)
                found = host.documents.get(path)
                body, ctype = found if found else (b"not found", "text/plain")
                status = 410 if path in host.gone else 200 if found else 404
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FeedHost:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def publish(self, path: str, body: str, ctype: str = "application/rss+xml") -> None:
        self.documents[path] = (body.encode("utf-8"), ctype)
