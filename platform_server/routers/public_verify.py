"""The public report check pages (no account): ``/V/<number>/<check code>`` and the form ``/V``.

Server-rendered HTML, Chinese, inline CSS only (allowed by its hash in a strict
Content-Security-Policy; no scripts, no images, no other origin), ``X-Robots-Tag: noindex``,
never cached. Every lookup counts against the source's limit first
(:func:`platform_server.public_verify.rate_limit`); see :mod:`platform_server.public_verify` for
why a number cannot be enumerated. Not in the OpenAPI document (they answer HTML for people).
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session, sessionmaker

from platform_server.deps import SessionDep, SettingsDep, client_address
from platform_server.public_verify import (
    MAPPING,
    RATE_KEY,
    check_by_code,
    rate_limit,
    verdict_words,
)
from platform_server.security import begin_login_attempt
from sync.protocol.report_check import ReportCheckAnswer, ReportVerdict

router = APIRouter(include_in_schema=False)

CSS = (
    "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',"
    "'WenQuanYi Micro Hei',sans-serif;"
    "margin:0;background:#f4f5f7;color:#1f2329}"
    "main{max-width:34rem;margin:2rem auto;background:#fff;padding:1.5rem 1.75rem;"
    "border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}"
    "h1{font-size:1.15rem;margin:0 0 1rem}"
    ".word{font-size:2.2rem;font-weight:700;margin:.5rem 0 1rem;padding:.5rem .75rem;"
    "border-radius:6px}"
    ".genuine{color:#0b6b2d;background:#e6f4ea}.void{color:#a50e0e;background:#fce8e6}"
    ".unverifiable{color:#7a4d00;background:#fef7e0}"
    "dl{display:grid;grid-template-columns:6rem 1fr;gap:.5rem .75rem;margin:0 0 1rem}"
    "dt{color:#5f6368}dd{margin:0;word-break:break-all}"
    "p{line-height:1.6}.note{color:#5f6368;font-size:.9rem}"
    "label{display:block;margin:.75rem 0 .25rem}"
    "input{font-size:1.1rem;padding:.4rem;width:100%;box-sizing:border-box}"
    "button{margin-top:1rem;font-size:1.1rem;padding:.45rem 1.5rem}"
)
_CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CSP = (
    f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
TITLE = "长治市信用报告核验"
FORM_LINK = '<p class="note"><a href="/V">手工输入报告编号和核验码</a></p>'


def _page(body: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    text = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex,nofollow">'
        f"<title>{TITLE}</title><style>{CSS}</style></head><body><main>"
        f"<h1>{TITLE}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(text, status_code=status, headers={**HEADERS, **(headers or {})})


def _result_page(answer: ReportCheckAnswer) -> HTMLResponse:
    esc = html.escape
    word = verdict_words(answer.verdict)
    rows = [("报告编号", answer.report_no)]
    if answer.verdict is not ReportVerdict.UNVERIFIABLE:
        rows += [
            ("主体名称", answer.entity_name),
            ("出具单位", answer.issuer),
            ("出具日期", answer.issued_on),
        ]
    listing = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    body = (
        f'<div class="word {answer.verdict.value}" id="verdict">{esc(word)}</div>'
        f"<dl>{listing}</dl><p>{esc(answer.explanation)}</p>"
        f'<p class="note">{esc(MAPPING)}</p>{FORM_LINK}'
    )
    return _page(body)


def _limited(request: Request, settings: SettingsDep) -> HTMLResponse | None:
    """A 429 page when this source used up its lookups, else None (one lookup counted)."""
    limit, window = rate_limit()
    writers: sessionmaker[Session] = request.app.state.write_sessions
    verdict = begin_login_attempt(
        writers,
        RATE_KEY,
        client_address(request, settings),
        max_failures=limit,
        window_s=window,
        account_max_failures=0,
    )
    if verdict.allowed:
        return None
    minutes = max(1, -(-verdict.retry_after // 60))
    body = (
        f'<div class="word unverifiable" id="verdict">查询过于频繁</div>'
        f"<p>本机所在网络的核验次数已达上限，请 {minutes} 分钟后再试。"
        "急需核验请携带报告原件到出具单位。</p>"
    )
    return _page(body, 429, {"Retry-After": str(verdict.retry_after)})


def _form(number: str = "", code: str = "") -> str:
    esc = html.escape
    return (
        "<p>没有手机扫码时，请输入纸质报告上的报告编号和核验码（核验码印在二维码旁，"
        "共 10 位字母和数字，不区分大小写）。</p>"
        '<form method="get" action="/V/check">'
        '<label for="no">报告编号</label>'
        f'<input id="no" name="no" maxlength="64" required value="{esc(number)}" '
        'placeholder="例如 XYBG-20261204-0A1B2C3D-0001" autocomplete="off">'
        '<label for="code">核验码</label>'
        f'<input id="code" name="code" maxlength="40" required value="{esc(code)}" '
        'placeholder="例如 ABCDE-FGHJK" autocomplete="off">'
        '<button type="submit" id="submit">核验</button></form>'
        f'<p class="note">{esc(MAPPING)}</p>'
    )


@router.get("/V", response_class=HTMLResponse)
@router.get("/v", response_class=HTMLResponse)
def manual_form() -> HTMLResponse:
    """The form for typing a report number and check code by hand (no lookup, not counted)."""
    return _page(_form())


@router.get("/V/check", response_class=HTMLResponse)
@router.get("/v/check", response_class=HTMLResponse)
def manual_check(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    no: Annotated[str, Query(max_length=200)] = "",
    code: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """The answer for a typed number and check code."""
    refused = _limited(request, settings)
    if refused is not None:
        return refused
    return _result_page(check_by_code(session, no, code))


@router.get("/V/{report_no}/{code}", response_class=HTMLResponse)
@router.get("/v/{report_no}/{code}", response_class=HTMLResponse)
def scanned(
    report_no: str, code: str, request: Request, session: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """The answer for a scanned QR code's address."""
    refused = _limited(request, settings)
    if refused is not None:
        return refused
    return _result_page(check_by_code(session, report_no[:200], code[:200]))
