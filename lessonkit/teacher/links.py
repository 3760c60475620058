"""Links that open the course from its git repository: in Binder, and in a JupyterHub through nbgitpuller.

Nothing here knows the course's repository: the teacher passes its address. Binder builds the
environment from ``binder/`` and opens the start page in JupyterLab. nbgitpuller copies the
repository into the learner's home on a hub (which must already have lessonkit installed)
and opens the same page; a second click later fetches updates without touching learners' work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from ..errors import LessonkitError

START_PAGE = "notebooks/00-start-here.ipynb"
BINDER = "https://mybinder.org"
BADGE = "https://mybinder.org/badge_logo.svg"


class LinkError(LessonkitError):
    """An address that cannot make a working link; the message says what was expected."""


@dataclass(frozen=True)
class Repo:
    url: str  # https://host/owner/name, without .git or a trailing slash
    host: str
    path: str  # owner/name (or group/subgroup/name)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def parse_repo(text: str) -> Repo:
    """A git repository's web address, checked; ``git@host:owner/name.git`` is refused with the https form to use."""
    value = text.strip()
    ssh = re.match(r"^git@([^:]+):(.+?)(\.git)?/?$", value)
    if ssh:
        raise LinkError(f"{value!r} is an SSH address, which learners' browsers cannot use; give "
                        f"https://{ssh.group(1)}/{ssh.group(2)} instead.")
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc or " " in value:
        raise LinkError(f"{value!r} is not a web address; give the repository's https address, such as "
                        "https://github.com/OWNER/REPOSITORY.")
    path = parts.path.strip("/").removesuffix(".git")
    if path.count("/") < 1 or parts.query or parts.fragment:
        raise LinkError(f"{value!r} does not name a repository; expected https://HOST/OWNER/REPOSITORY "
                        "(the address you would clone).")
    return Repo(f"{parts.scheme}://{parts.netloc}/{path}", parts.netloc.lower(), path)


def binder_url(repo: Repo, branch: str = "main", *, binder: str = BINDER, path: str = START_PAGE) -> str:
    """The Binder link that builds the repository and opens ``path`` in JupyterLab."""
    ref = quote(branch, safe="")
    if repo.host in ("github.com", "www.github.com"):
        spec = f"gh/{repo.path}/{ref}"
    elif repo.host in ("gitlab.com", "www.gitlab.com"):
        spec = f"gl/{quote(repo.path, safe='')}/{ref}"
    else:
        spec = f"git/{quote(repo.url, safe='')}/{ref}"
    return f"{_base(binder, 'Binder')}v2/{spec}?urlpath={quote('lab/tree/' + path, safe='/')}"


def nbgitpuller_url(hub: str, repo: Repo, branch: str = "main", *, path: str = START_PAGE) -> str:
    """The nbgitpuller link: the hub clones (or updates) the repository, then opens ``path`` in JupyterLab."""
    query = urlencode({"repo": repo.url, "urlpath": f"lab/tree/{repo.name}/{path}", "branch": branch})
    return f"{_base(hub, 'hub')}hub/user-redirect/git-pull?{query}"


def badge(url: str) -> str:
    """A Markdown badge for a README that opens ``url``."""
    return f"[![Open the course in Binder]({BADGE})]({url})"


def _base(url: str, what: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise LinkError(f"{url!r} is not a {what} address; expected something like https://hub.example.edu/.")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/"


def links_text(repo_text: str, branch: str = "main", hub: str | None = None, binder: str = BINDER) -> str:
    """What ``lessonkit links`` prints."""
    if not branch.strip() or any(c.isspace() for c in branch):
        raise LinkError(f"{branch!r} is not a branch name.")
    repo = parse_repo(repo_text)
    url = binder_url(repo, branch, binder=binder)
    lines = [f"Binder (opens {START_PAGE} in JupyterLab):", f"  {url}"]
    if hub:
        lines += ["JupyterHub through nbgitpuller (the hub needs nbgitpuller and lessonkit installed):",
                  f"  {nbgitpuller_url(hub, repo, branch)}"]
    lines += ["README badge (Markdown):", f"  {badge(url)}"]
    return "\n".join(lines)
