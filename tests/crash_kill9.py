#!/usr/bin/env python3
"""crash_kill9.py - kill -9 during concurrent writes, many times, and nothing acknowledged is lost.

    crash_kill9.py KEPU_BIN DB KILLS [WRITERS]

DB is a SQLite file path (created) or a postgresql:// URL of an empty database. Writer threads
record activities through the API (POST /activities, the records the statistics count) as fast
as the server answers; at a random moment the server gets SIGKILL, is started again on the same
database, and the writers carry on. After KILLS kills the server is killed a last time and the
store is checked from outside: every activity acknowledged with 201 is there with its title,
SQLite's PRAGMA integrity_check says ok, and `kepu stats verify` finds 0 differences (the
roll-ups agree with the records). Prints the figures; exit 0 only when all of that holds.
Standard library only; sqlite3 or psql on PATH for the check."""
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

PASSWORD = "Crash-Admin-2026"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """The kepu process under test; started again on the same database after each kill."""

    def __init__(self, kepu, db, tmp):
        self.kepu, self.db, self.tmp = kepu, db, tmp
        self.port = free_port()
        self.proc = None
        self.log = open(os.path.join(tmp, "server.log"), "ab")
        self.up = threading.Event()

    def start(self):
        env = dict(os.environ, KEPU_BOOTSTRAP_ADMIN_PASSWORD=PASSWORD, KEPU_ACCESS_LOG="0",
                   KEPU_FILES_DIR=os.path.join(self.tmp, "files"))
        self.proc = subprocess.Popen([self.kepu, "serve", "--listen", f"127.0.0.1:{self.port}", "--db", self.db],
                                     env=env, stdout=self.log, stderr=self.log)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"crash_kill9: the server exited with {self.proc.returncode} on start (see {self.tmp}/server.log)")
            try:
                st, _ = request(self.port, "GET", "/health")
                if st == 200:
                    self.up.set()
                    return
            except OSError:
                pass
            time.sleep(0.02)
        sys.exit("crash_kill9: the server did not come up")

    def kill(self):
        self.up.clear()
        os.kill(self.proc.pid, signal.SIGKILL)   # our own child, by its id
        self.proc.wait()


def request(port, method, path, body=None, token=None, conn=None):
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    c.request(method, "/api/v1" + path, body=json.dumps(body) if body is not None else None, headers=headers)
    resp = c.getresponse()
    data = resp.read()
    if conn is None:
        c.close()
    return resp.status, json.loads(data) if data else None


class Writer(threading.Thread):
    """Records activities until told to stop; keeps the ids the server acknowledged."""

    def __init__(self, n, server, token, org, stop):
        super().__init__(daemon=True)
        self.n, self.server, self.token, self.org, self.stop = n, server, token, org, stop
        self.acked = {}        # id -> title, answered 201
        self.unanswered = 0    # sent, connection died before the answer: may or may not be there
        self.refused = 0       # any other status (e.g. 503 while the database comes back)

    def run(self):
        seq = 0
        conn = None
        while not self.stop.is_set():
            if not self.server.up.wait(0.1):
                continue
            seq += 1
            title = f"kill9-w{self.n}-{seq}"
            day = f"2025-{1 + seq % 12:02d}-{1 + seq % 28:02d}"
            body = {"org_id": self.org, "kind": "lecture", "title": title, "start_date": day, "end_date": day,
                    "participants": 1 + seq % 50, "materials": seq % 7}
            try:
                conn = conn or http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
                st, j = request(self.server.port, "POST", "/activities", body, self.token, conn)
            except (OSError, http.client.HTTPException, ValueError):
                self.unanswered += 1
                if conn:
                    conn.close()
                conn = None
                continue
            if st == 201:
                self.acked[j["id"]] = title
            else:
                self.refused += 1
        if conn:
            conn.close()


def stored_activities(db, tmp):
    """id -> title of every activity in the store, read without the server."""
    sql = "SELECT id, title FROM activities WHERE title LIKE 'kill9-%'"
    if db.startswith("postgres"):
        out = subprocess.run(["psql", "-qAtX", "-F", "\t", db, "-c", sql], capture_output=True, text=True, check=True).stdout
    else:
        out = subprocess.run(["sqlite3", "-separator", "\t", db, sql], capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        i, t = line.split("\t", 1)
        rows[int(i)] = t
    return rows


def integrity(db):
    """"ok" or what is wrong: SQLite's integrity_check, or on PostgreSQL amcheck over every
    B-tree index of the schema, each checked against its table (heapallindexed)."""
    if not db.startswith("postgres"):
        return subprocess.run(["sqlite3", db, "PRAGMA integrity_check"], capture_output=True, text=True).stdout.strip()
    sql = ("SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS amcheck; "
           "SELECT count(bt_index_check(c.oid, true)) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
           "JOIN pg_am am ON am.oid = c.relam WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace")
    r = subprocess.run(["psql", "-qAtX", "-v", "ON_ERROR_STOP=1", db, "-c", sql], capture_output=True, text=True)
    return "ok" if r.returncode == 0 and int(r.stdout.split()[-1]) > 0 else (r.stderr.strip() or r.stdout.strip())


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    kepu, db, kills = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    nwriters = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    tmp = tempfile.mkdtemp(prefix="kepu-kill9-")
    pg = db.startswith("postgres")
    srv = Server(kepu, db, tmp)
    srv.start()
    st, j = request(srv.port, "POST", "/auth/login", {"username": "admin", "password": PASSWORD})
    assert st == 200, (st, j)
    token = j["token"]
    st, j = request(srv.port, "GET", "/orgs", token=token)
    root = min(o["id"] for o in j["items"])
    st, j = request(srv.port, "POST", "/orgs", {"parent_id": root, "type": "district", "name": "断电测试区"}, token)
    assert st == 201, (st, j)
    org = j["id"]

    stop = threading.Event()
    writers = [Writer(n, srv, token, org, stop) for n in range(nwriters)]
    for w in writers:
        w.start()
    rng = random.Random(os.getpid())
    for k in range(kills):
        # mid-write (the writers never pause); PostgreSQL nodes take longer to come back
        time.sleep(rng.uniform(0.05, 0.4) if not pg else rng.uniform(0.3, 1.5))
        srv.kill()
        if k < kills - 1:
            srv.start()
    stop.set()
    for w in writers:
        w.join()

    acked = {}
    for w in writers:
        acked.update(w.acked)
    stored = stored_activities(db, tmp)
    lost = [i for i, t in acked.items() if stored.get(i) != t]
    failures = []
    if lost:
        failures.append(f"{len(lost)} acknowledged activities missing or changed, e.g. ids {sorted(lost)[:10]}")
    ic = integrity(db)
    if ic != "ok":
        failures.append(f"integrity_check: {ic[:300]}")
    verify = subprocess.run([kepu, "stats", "verify", "--db", db], capture_output=True, text=True)
    if verify.returncode != 0:
        failures.append(f"stats verify (exit {verify.returncode}): {verify.stdout.strip()} {verify.stderr.strip()}")
    unanswered = sum(w.unanswered for w in writers)
    print(f"kill -9 on {'PostgreSQL' if pg else 'SQLite'}: {kills} kills, {nwriters} writers, "
          f"{len(acked)} writes acknowledged, {len(lost)} lost; {unanswered} cut off unanswered "
          f"({len(stored) - len(acked)} of them stored), {sum(w.refused for w in writers)} refused; "
          f"{'integrity_check' if not pg else 'amcheck'} {'ok' if ic == 'ok' else 'FAILED'}; "
          f"{verify.stdout.strip()}")
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    if not failures:
        subprocess.run(["rm", "-rf", tmp])
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
