"""A class on a real JupyterHub, for the hub test: the course served over git, the hub, its learners' homes.

Everything listens on 127.0.0.1 and free ports, and lives in one temporary folder: the course's
git repository (served with ``git http-backend``, the smart protocol ``git clone --depth 1``
needs), the hub's database and settings, and one home per learner (JupyterHub's simple local
spawner, each learner's home a folder of that temporary folder).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from labdriver import ROOT, _answers, _serve, free_port, stop_process, write_settings

VENV_BIN = Path(sys.executable).parent
GIT_ENV = {"GIT_AUTHOR_NAME": "Course", "GIT_AUTHOR_EMAIL": "course@example.org", "GIT_COMMITTER_NAME": "Course",
           "GIT_COMMITTER_EMAIL": "course@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, capture_output=True, text=True,
                            timeout=120)
    if result.returncode:
        raise RuntimeError(f"git {' '.join(args)} failed: {result.stderr}")
    return result.stdout


def course_repository(work: Path, served: Path, name: str = "class/course") -> Path:
    """A teacher's clone of the course (the files of this checkout, as they are now) pushed to a bare repository
    ``served/<name>`` for git http-backend (served at ``/<name>``); returns the teacher's clone."""
    files = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).split("\0")
    for rel in filter(None, files):
        source = ROOT / rel
        if source.is_file() and not rel.startswith(("tests/", "benchmarks/")):
            target = work / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git("init", "-q", "-b", "main", cwd=work)
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "The course", cwd=work)
    (served / name).mkdir(parents=True, exist_ok=True)
    git("init", "-q", "--bare", "-b", "main", str(served / name), cwd=served)
    git("push", "-q", str(served / name), "main", cwd=work)
    return work


# ---------------------------------------------------------------- git over smart HTTP
def _git_app(project_root: Path):
    """A WSGI app that hands each request to ``git http-backend`` (CGI) and passes its answer back."""

    def app(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        env = {key: value for key, value in environ.items() if isinstance(value, str) and key.isupper()}
        env.update(GIT_PROJECT_ROOT=str(project_root), GIT_HTTP_EXPORT_ALL="1", PATH=os.environ.get("PATH", ""))
        out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True, timeout=120).stdout
        split = out.find(b"\r\n\r\n")
        head, rest = (out[:split], out[split + 4:]) if split >= 0 else out.split(b"\n\n", 1)
        status, headers = "200 OK", []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = value.strip()
            elif name:
                headers.append((name.strip(), value.strip()))
        start_response(status, headers)
        return [rest]

    return app


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:  # the test's output stays readable
        pass


class _Threaded(ThreadingMixIn, WSGIServer):
    daemon_threads = True


@contextlib.contextmanager
def git_server(project_root: Path) -> Iterator[str]:
    """Serve the bare repositories in ``project_root`` over git's smart HTTP; yields the base address."""
    server = make_server("127.0.0.1", 0, _git_app(project_root), server_class=_Threaded, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------- the hub
CONFIG = """
c = get_config()  # noqa: F821
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {pid_file!r}
c.JupyterHub.db_url = "sqlite:///{db}"
c.JupyterHub.cookie_secret_file = {secret!r}
c.JupyterHub.cleanup_servers = True
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.notebook_dir = {homes!r} + "/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE"]
c.Spawner.environment = {environment!r}
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
"""


@contextlib.contextmanager
def jupyterhub(folder: Path, homes: Path, log_path: Path) -> Iterator[str]:
    """A JupyterHub with a dummy login (any name, no password) and one home per learner in ``homes``;
    yields its address. Its single-user servers run this environment's JupyterLab, where lessonkit is
    installed as ``make install`` installs it (editable), with nbgitpuller."""
    proxy = shutil.which("configurable-http-proxy")
    if not proxy:
        raise FileNotFoundError("configurable-http-proxy")
    folder.mkdir(parents=True, exist_ok=True)
    write_settings(folder / "settings", "light")  # no autosave, every cell rendered: the page is the learner's
    port = free_port()
    args = ["--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")  # containers and CI often run as root
    (folder / "jupyterhub_config.py").write_text(CONFIG.format(
        port=port, hub_port=free_port(), api_port=free_port(), proxy=proxy, pid_file=str(folder / "proxy.pid"),
        db=folder / "jupyterhub.sqlite", secret=str(folder / "cookie_secret"), homes=str(homes),
        singleuser=str(VENV_BIN / "jupyterhub-singleuser"), args=args,
        environment={"JUPYTERLAB_SETTINGS_DIR": str(folder / "settings"),
                     "JUPYTER_CONFIG_DIR": str(folder / "jupyter-config")}))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LESSONKIT_", "JUPYTER"))}
    env.update(PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}", CONFIGPROXY_AUTH_TOKEN=secrets.token_hex(16))
    base = f"http://127.0.0.1:{port}"
    proc = _serve([str(VENV_BIN / "jupyterhub"), "-f", str(folder / "jupyterhub_config.py")], env, folder, log_path,
                  lambda: _answers(f"{base}/hub/health"), "jupyterhub")
    try:
        yield base
    finally:
        stop_process(proc)
