"""`checker serve`: a production WSGI server (waitress) on 127.0.0.1; a port in use is said in Chinese."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from click.testing import CliRunner

from checker.cli import EXIT_USAGE, main


def test_port_in_use_is_one_chinese_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)], catch_exceptions=False)
    assert result.exit_code == EXIT_USAGE
    assert "请在浏览器中打开" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"端口 {port} 已被占用" in lines[0] and "--port" in lines[0]


def test_serve_uses_waitress_on_localhost_without_development_warning():
    process = subprocess.Popen([sys.executable, "-m", "checker", "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("请在浏览器中打开 http://127.0.0.1:"), line
        url = line.split()[1]
        for _ in range(50):
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                    assert response.headers["Server"] == "checker"  # waitress, with our ident
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not answer")
    finally:
        process.terminate()  # SIGTERM: handled like Ctrl-C
        stdout, stderr = process.communicate(timeout=10)
    assert "development server" not in stderr and "WARNING" not in stderr
    assert "Traceback" not in stderr and "已停止" in stdout
    assert not [name for base in ("/dev/shm", tempfile.gettempdir()) if os.path.isdir(base)
                for name in os.listdir(base) if name.startswith(f"checker-serve-{process.pid}-")]
