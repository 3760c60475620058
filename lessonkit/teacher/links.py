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


# A host name (with an optional port), and the names git hosts allow for owners, groups and repositories.
_HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                   r"[A-Za-z0-9])?)*(?::[0-9]{1,5})?$")
_NAME = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_.~-]{0,99}$")
_BAD_REF = re.compile(r"(^[-/.])|(\.\.)|(@\{)|([\x00-\x20\x7f~^:?*\[\\])|(//)|([/.]$)|(\.lock$)|(^@$)")


def _redacted(value: str) -> str:
    """The address with any user name or password replaced, so a message never repeats a secret."""
    return re.sub(r"(://)[^/@]*@", r"\1…@", value)


def parse_repo(text: str) -> Repo:
    """A git repository's web address, checked; ``git@host:owner/name.git`` is refused with the https form to use."""
    value = text.strip()
    ssh = re.match(r"^git@([^:/]+):(.+?)(\.git)?/?$", value)
    if ssh and _HOST.match(ssh.group(1)) and all(_NAME.match(p) for p in ssh.group(2).split("/")):
        raise LinkError(f"{value!r} is an SSH address, which learners' browsers cannot use; give "
                        f"https://{ssh.group(1)}/{ssh.group(2)} instead.")
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc or any(c.isspace() for c in value):
        raise LinkError(f"{_redacted(value)!r} is not a web address; give the repository's https address, such as "
                        "https://github.com/OWNER/REPOSITORY.")
    if "@" in parts.netloc:
        raise LinkError(f"{_redacted(value)!r} holds a user name or password before the host; every learner "
                        "would see it in the links. Give the public address without it, such as "
                        f"https://{parts.netloc.rsplit('@', 1)[1]}{parts.path}")
    if not _HOST.match(parts.netloc):
        raise LinkError(f"{value!r} does not name a git host; expected https://HOST/OWNER/REPOSITORY with a host "
                        "such as github.com.")
    path = parts.path.strip("/").removesuffix(".git")
    names = path.split("/")
    if len(names) < 2 or parts.query or parts.fragment:
        raise LinkError(f"{value!r} does not name a repository; expected https://HOST/OWNER/REPOSITORY "
                        "(the address you would clone).")
    odd = next((name for name in names if not _NAME.match(name)), None)
    if odd is not None:
        raise LinkError(f"{value!r} does not name a repository: {odd!r} is not a name a git host gives an owner, "
                        "group or repository (letters, digits, '.', '_', '-').")
    return Repo(f"{parts.scheme}://{parts.netloc.lower()}/{path}", parts.netloc.lower(), path)


def check_branch(branch: str) -> str:
    """A branch name git accepts, or LinkError."""
    text = branch.strip()
    if not text or len(text) > 200 or _BAD_REF.search(text):
        raise LinkError(f"{branch!r} is not a branch name; expected a name such as main or feature/new-lesson.")
    return text


def binder_url(repo: Repo, branch: str = "main", *, binder: str = BINDER, path: str = START_PAGE) -> str:
    """The Binder link that builds the repository and opens ``path`` in JupyterLab (every part URL-encoded)."""
    ref = quote(branch, safe="")
    if repo.host in ("github.com", "www.github.com"):
        spec = "gh/" + "/".join(quote(name, safe="") for name in repo.path.split("/")) + f"/{ref}"
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
    """A Markdown badge for a README that opens ``url`` (brackets and spaces encoded, so it cannot end early)."""
    safe_url = quote(url, safe=":/?&=%#+,;@!$'*~")
    return f"[![Open the course in Binder]({BADGE})]({safe_url})"


def _base(url: str, what: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise LinkError(f"{_redacted(url)!r} is not a {what} address; expected something like https://hub.example.edu/.")
    if "@" in parts.netloc:
        raise LinkError(f"{_redacted(url)!r} holds a user name or password before the host; every learner would "
                        f"see it in the links. Give the {what} address without it.")
    if not _HOST.match(parts.netloc):
        raise LinkError(f"{url!r} does not name a host; expected something like https://hub.example.edu/.")
    path = "/".join(quote(part, safe="") for part in parts.path.strip("/").split("/") if part)
    return f"{parts.scheme}://{parts.netloc.lower()}/{path + '/' if path else ''}"


def links_text(repo_text: str, branch: str = "main", hub: str | None = None, binder: str = BINDER) -> str:
    """What ``lessonkit links`` prints."""
    branch = check_branch(branch)
    repo = parse_repo(repo_text)
    url = binder_url(repo, branch, binder=binder)
    lines = [f"Binder (opens {START_PAGE} in JupyterLab):", f"  {url}"]
    if hub:
        lines += ["JupyterHub through nbgitpuller (the hub needs nbgitpuller and lessonkit installed):",
                  f"  {nbgitpuller_url(hub, repo, branch)}"]
    lines += ["README badge (Markdown):", f"  {badge(url)}"]
    return "\n".join(lines)
