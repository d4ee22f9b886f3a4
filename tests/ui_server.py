"""`qe ui` as the office starts it, in a child process; the first line it prints is the page's address."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit


class UiServer:
    def __init__(self, workspace: Path, env: dict[str, str] | None = None) -> None:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
        command = [sys.executable, "-m", "qe_workbook", "ui", "--workspace", str(workspace), "--no-browser", "--port", "0"]  # fmt: skip
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     encoding="utf-8", env=env)  # fmt: skip
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.proc.kill()
            _out, err = self.proc.communicate()
            raise AssertionError(f"qe ui printed no address: {self.url!r} {err}")
        parts = urlsplit(self.url)
        self.host, self.port, self.token = parts.hostname or "", parts.port or 0, parts.path.strip("/")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> UiServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
