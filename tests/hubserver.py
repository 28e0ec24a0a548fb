"""A stand-in for the few Hugging Face Hub endpoints `scrape publish` uses, on 127.0.0.1.

It keeps repos, commits, files and tags in memory and records every request, so tests can
assert what was called and what was uploaded. Point the client at it with HF_ENDPOINT and
HF_HUB_DISABLE_XET=1 (plain LFS uploads).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Repo:
    files: dict[str, bytes] = field(default_factory=dict)
    commits: list[dict] = field(default_factory=list)  # {"oid", "message", "files": {path: bytes}}
    tags: dict[str, str] = field(default_factory=dict)  # tag -> commit oid


class FakeHub:
    def __init__(self, fail_on: str | None = None) -> None:
        self.repos: dict[str, Repo] = {}
        self.lfs: dict[str, bytes] = {}
        self.calls: list[tuple[str, str]] = []
        self.validated: list[str] = []  # dataset cards sent to /api/validate-yaml
        self.fail_on = fail_on  # a path regex answered with 500, to test failures
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(
                self, code: int, body: object = None, ctype: str = "application/json"
            ) -> None:
                data = (
                    b""
                    if body is None
                    else (body if isinstance(body, bytes) else json.dumps(body).encode())
                )
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def do_GET(self):
                hub.calls.append(("GET", self.path))
                m = re.match(r"^/api/datasets/(.+)/refs", self.path)
                if m and m.group(1) in hub.repos:
                    repo = hub.repos[m.group(1)]
                    head = repo.commits[-1]["oid"] if repo.commits else "0" * 40
                    return self._send(
                        200,
                        {
                            "branches": [
                                {"name": "main", "ref": "refs/heads/main", "targetCommit": head}
                            ],
                            "converts": [],
                            "tags": [
                                {"name": t, "ref": f"refs/tags/{t}", "targetCommit": o}
                                for t, o in repo.tags.items()
                            ],
                        },
                    )
                self._send(404, {"error": "not found"})

            def do_PUT(self):
                hub.calls.append(("PUT", self.path))
                m = re.match(r"^/lfs-upload/([0-9a-f]{64})$", self.path)
                data = self._body()
                if m and hashlib.sha256(data).hexdigest() == m.group(1):
                    hub.lfs[m.group(1)] = data
                    return self._send(200)
                self._send(400, {"error": "bad upload"})

            def do_POST(self):
                hub.calls.append(("POST", self.path))
                body = self._body()
                if hub.fail_on and re.search(hub.fail_on, self.path):
                    return self._send(500, {"error": "injected failure"})
                if self.path == "/api/repos/create":
                    req = json.loads(body)
                    repo_id = (
                        f"{req['organization']}/{req['name']}"
                        if req.get("organization")
                        else req["name"]
                    )
                    url = f"http://{self.headers['Host']}/datasets/{repo_id}"
                    if repo_id in hub.repos:  # as the Hub answers: 409, with the repo's url
                        return self._send(
                            409, {"error": "You already created this dataset repo", "url": url}
                        )
                    hub.repos[repo_id] = Repo()
                    return self._send(200, {"url": url})
                if self.path == "/api/validate-yaml":
                    hub.validated.append(json.loads(body)["content"])
                    return self._send(200, {"errors": [], "warnings": []})
                if m := re.match(r"^/api/datasets/(.+)/preupload/", self.path):
                    files = json.loads(body)["files"]
                    return self._send(
                        200,
                        {
                            "files": [
                                {
                                    "path": f["path"],
                                    "uploadMode": "lfs"
                                    if f["path"].endswith(".parquet")
                                    else "regular",
                                    "shouldIgnore": False,
                                    "oid": None,
                                }
                                for f in files
                            ]
                        },
                    )
                if m := re.match(r"^/datasets/(.+)\.git/info/lfs/objects/batch$", self.path):
                    req = json.loads(body)
                    host = self.headers["Host"]
                    return self._send(
                        200,
                        {
                            "transfer": "basic",
                            "objects": [
                                {
                                    "oid": o["oid"],
                                    "size": o["size"],
                                    "authenticated": True,
                                    "actions": {
                                        "upload": {"href": f"http://{host}/lfs-upload/{o['oid']}"}
                                    },
                                }
                                for o in req["objects"]
                            ],
                        },
                        ctype="application/vnd.git-lfs+json",
                    )
                if m := re.match(r"^/api/datasets/(.+)/commit/([^/]+)$", self.path):
                    repo = hub.repos[m.group(1)]
                    lines = [json.loads(x) for x in body.decode().splitlines() if x.strip()]
                    files, message = {}, ""
                    for line in lines:
                        v = line["value"]
                        if line["key"] == "header":
                            message = v["summary"]
                        elif line["key"] == "file":
                            files[v["path"]] = base64.b64decode(v["content"])
                        elif line["key"] == "lfsFile":
                            if v["oid"] not in hub.lfs:
                                return self._send(422, {"error": f"LFS object {v['oid']} missing"})
                            files[v["path"]] = hub.lfs[v["oid"]]
                    oid = hashlib.sha1(f"{len(repo.commits)}{message}".encode()).hexdigest()
                    repo.files.update(files)
                    repo.commits.append(
                        {"oid": oid, "message": message, "files": files, "tree": dict(repo.files)}
                    )
                    return self._send(
                        200,
                        {
                            "commitUrl": f"http://{self.headers['Host']}/datasets/{m.group(1)}/commit/{oid}",
                            "commitOid": oid,
                            "success": True,
                        },
                    )
                if m := re.match(r"^/api/datasets/(.+)/tag/([^/]+)$", self.path):
                    repo = hub.repos[m.group(1)]
                    tag = json.loads(body)["tag"]
                    if tag in repo.tags:
                        return self._send(409, {"error": "tag exists"})
                    repo.tags[tag] = m.group(2)
                    return self._send(200, {})
                self._send(404, {"error": f"no route {self.path}"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeHub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def tree_at(self, repo_id: str, tag: str) -> dict[str, bytes]:
        repo = self.repos[repo_id]
        return next(c["tree"] for c in repo.commits if c["oid"] == repo.tags[tag])
