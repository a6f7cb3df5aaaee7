"""A local preview: build, serve on 127.0.0.1, rebuild on every change, reload open pages.

The server adds one small script to every HTML page it sends (never to the files on disk):
it asks /__status every second and reloads the page when a new build is ready, or shows the
content errors of a failed build over the page. A failed build leaves the last good site
in place, so the preview keeps working.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from dataclasses import replace
from pathlib import Path
from typing import Callable

from .errors import BuildError, counted
from .pipeline import BuildOptions, build
from .write import WriteError

RELOAD_SCRIPT = b"""// Live reload for the local preview (python build.py serve); not part of the built site.
(() => {
  let seen = null;
  const show = (errors) => {
    let box = document.getElementById("__build-errors");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "__build-errors";
      box.setAttribute("role", "alert");
      Object.assign(box.style, { position: "fixed", left: "0", right: "0", bottom: "0", maxHeight: "50vh", overflow: "auto",
        background: "#fff4f4", color: "#5c0000", borderTop: "4px solid #b00020", padding: "1rem", zIndex: "1000",
        font: "14px/1.4 ui-monospace, monospace", whiteSpace: "pre-wrap" });
      document.body.append(box);
    }
    box.textContent = "Bygget misslyckades; sidan visar det senaste lyckade bygget.\\n\\n" + errors.join("\\n");
  };
  const poll = async () => {
    try {
      const status = await (await fetch("/__status", { cache: "no-store" })).json();
      if (seen !== null && status.build !== seen) { location.reload(); return; }
      seen = status.build;
      show(status.errors);
    } catch (error) { /* the server is restarting or gone: try again */ }
    setTimeout(poll, 1000);
  };
  poll();
})();
"""
SCRIPT_TAG = b'<script src="/__live-reload.js" defer></script>'


class PreviewState:
    """The number of the last good build and the errors of the latest attempt, shared with the server."""

    def __init__(self):
        self.lock = threading.Lock()
        self.build = 0
        self.errors: list[str] = []

    def succeeded(self) -> None:
        with self.lock:
            self.build += 1
            self.errors = []

    def failed(self, errors: list[str]) -> None:
        with self.lock:
            self.errors = errors

    def snapshot(self) -> dict:
        with self.lock:
            return {"build": self.build, "errors": list(self.errors)}


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    state: PreviewState

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def do_GET(self):
        if self.path == "/__status":
            return self._send(json.dumps(self.state.snapshot()).encode(), "application/json")
        if self.path == "/__live-reload.js":
            return self._send(RELOAD_SCRIPT, "text/javascript")
        path = self.translate_path(self.path)
        if Path(path).is_dir():
            path = str(Path(path) / "index.html")
        if path.endswith(".html") and Path(path).is_file():
            body = Path(path).read_bytes().replace(b"</body>", SCRIPT_TAG + b"\n</body>", 1)
            return self._send(body, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def serve(options: BuildOptions, port: int, report: Callable[[str], None] = print) -> int:
    """Build, serve and rebuild until Ctrl-C; return the exit status."""
    from watchfiles import watch

    state = PreviewState()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_handler(state), directory=str(options.output_dir)))
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    options = replace(options, base_url=address)
    _rebuild(options, state, report)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    report(f"Serving {address} (Ctrl-C stops)")
    try:
        for changes in watch(options.content_dir, options.templates_dir, debounce=300, raise_interrupt=True):
            names = sorted({Path(path).name for _, path in changes})
            report(f"changed: {', '.join(names)}; rebuilding")
            _rebuild(options, state, report)
    except KeyboardInterrupt:
        report("stopped")
    finally:
        server.shutdown()
        server.server_close()
    return 0


def _handler(state: PreviewState):
    return type("BoundPreviewHandler", (PreviewHandler,), {"state": state})


def _rebuild(options: BuildOptions, state: PreviewState, report: Callable[[str], None]) -> None:
    try:
        result = build(options)
    except BuildError as exc:
        lines = [str(e) for e in exc.errors]
        for line in lines:
            report(line)
        report(f"{counted(len(lines), 'error')}; still serving the last good build")
        state.failed(lines)
    except (OSError, WriteError) as exc:
        report(f"build failed: {exc}; still serving the last good build")
        state.failed([str(exc)])
    else:
        for warning in result.warnings:
            report(str(warning))
        report(f"built {result.files} files ({result.search_summary})")
        state.succeeded()
