"""Run the companion: waitress on 127.0.0.1 only, the pack watched for changes."""

from __future__ import annotations

import logging
import sys

from waitress import serve as waitress_serve

from companion.api.app import MAX_BODY, create_app
from companion.config import DEFAULT_PORT
from companion.packstate import PackHolder

HOST = "127.0.0.1"   # never 0.0.0.0: the companion is for this machine's browser only


def setup_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)


def serve(pack_path: str | None = None, port: int = DEFAULT_PORT, watch: bool = True, threads: int = 4) -> int:
    setup_logging()
    log = logging.getLogger("postguard")
    packs = PackHolder(pack_path)
    packs.load()
    if watch and pack_path:
        packs.watch()
    app = create_app(packs, port=port)
    pack = packs.pack
    log.info("PostGuard companion on http://%s:%d serving %s", HOST, port,
             f"pack {pack.id} revision {pack.revision}" if pack else "no pack (checks answer 503 until a valid pack loads)")
    try:
        waitress_serve(app, host=HOST, port=port, threads=threads, max_request_body_size=MAX_BODY,
                       ident="postguard", clear_untrusted_proxy_headers=True, _quiet=True)
    except OSError as e:
        log.error("cannot listen on %s:%d: %s (is another companion running? try --port)", HOST, port, e.strerror or e)
        return 2
    return 0
