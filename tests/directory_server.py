"""A real OpenLDAP server (slapd) for the directory sign-in tests.

It lives in a temporary folder: a cn=config made from a small slapd.conf, one mdb database under
dc=example,dc=com with people and groups, and slapd listening on a free port of 127.0.0.1. Each
test process (each pytest-xdist worker) starts its own.
"""

import shutil
import socket
import subprocess
import tempfile
import textwrap
import time
from pathlib import Path

import ldap

SLAPD = shutil.which("slapd") or next(
    (path for path in ("/usr/sbin/slapd", "/usr/local/sbin/slapd") if Path(path).exists()), None
)
SCHEMA_DIR = Path("/etc/ldap/schema")
MODULE_DIR = Path("/usr/lib/ldap")

SUFFIX = "dc=example,dc=com"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "directory-root-secret"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
USER_PASSWORD = "Directory-pass-1"

# uid: (first name, last name, groups)
USERS = {
    "mzhang": ("Mei", "Zhang", ["pmo-admins"]),
    "jsmith": ("John", "Smith", ["executives", "all-staff"]),
    "kdubois": ("Karim", "Dubois", ["project-managers", "all-staff"]),
    "nnoroles": ("Nora", "Nilsson", ["all-staff"]),
}
GROUP_NAMES = ["pmo-admins", "executives", "project-managers", "all-staff"]


def group_dn(name: str) -> str:
    return f"cn={name},{GROUPS}"


def user_dn(uid: str) -> str:
    return f"uid={uid},{PEOPLE}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _slapd_conf(folder: Path) -> str:
    modules = f"modulepath {MODULE_DIR}\nmoduleload back_mdb\n" if MODULE_DIR.exists() else ""
    schemas = "".join(
        f"include {SCHEMA_DIR / name}.schema\n"
        for name in ("core", "cosine", "inetorgperson", "nis")
    )
    return (
        schemas
        + f"pidfile {folder / 'slapd.pid'}\n"
        + modules
        + textwrap.dedent(f"""\
            database config
            rootdn "cn=config"

            database mdb
            maxsize 10485760
            suffix "{SUFFIX}"
            rootdn "{ROOT_DN}"
            rootpw {ROOT_PASSWORD}
            directory {folder / "data"}
            access to attrs=userPassword by anonymous auth by self write by * none
            access to * by * read
            """)
    )


def _entries() -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\n"
        "o: Example\n",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups\n",
    ]
    for uid, (first, last, _groups) in USERS.items():
        entries.append(
            f"dn: {user_dn(uid)}\nobjectClass: inetOrgPerson\nuid: {uid}\n"
            f"cn: {first} {last}\ngivenName: {first}\nsn: {last}\n"
            f"mail: {uid}@example.com\nuserPassword: {USER_PASSWORD}\n"
        )
    for name in GROUP_NAMES:
        members = "".join(
            f"member: {user_dn(uid)}\n" for uid, (*_, groups) in USERS.items() if name in groups
        )
        entries.append(f"dn: {group_dn(name)}\nobjectClass: groupOfNames\ncn: {name}\n{members}")
    return "\n".join(entries)


class DirectoryServer:
    """slapd in a temporary folder. `start()` returns once it answers; `stop()` ends it."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="pmo-slapd-"))
        self.port = 0
        self.process = None

    @property
    def uri(self) -> str:
        return f"ldap://127.0.0.1:{self.port}/"

    def prepare(self) -> None:
        """Write the configuration and load the people and groups (slapd is not running)."""
        (self.folder / "data").mkdir()
        (self.folder / "slapd.d").mkdir()
        (self.folder / "slapd.conf").write_text(_slapd_conf(self.folder))
        (self.folder / "entries.ldif").write_text(_entries())
        conf = self.folder / "slapd.conf"
        # Load first: slaptest opens the database read-only to convert, so it must exist.
        self._run("slapadd", "-f", conf, "-b", SUFFIX, "-l", self.folder / "entries.ldif")
        self._run("slaptest", "-f", conf, "-F", self.folder / "slapd.d")

    def start(self, timeout: float = 15) -> None:
        """Start slapd on a free port (another if that one was taken meanwhile)."""
        for _attempt in range(5):
            self.port = free_port()
            self.process = subprocess.Popen(
                [SLAPD, "-d", "0", "-F", self.folder / "slapd.d", "-h", self.uri],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            if self._wait_until_it_answers(timeout):
                return
            self.stop()
        raise RuntimeError(f"slapd did not start in {self.folder}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def admin_connection(self):
        """A connection bound as the root DN, to change the directory during a test."""
        connection = ldap.initialize(self.uri, bytes_mode=False)
        connection.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
        connection.simple_bind_s(ROOT_DN, ROOT_PASSWORD)
        return connection

    def set_members(self, group: str, uids: list[str]) -> None:
        """Replace the members of a groupOfNames (it needs at least one: the root DN stands in)."""
        members = [user_dn(uid).encode() for uid in uids] or [ROOT_DN.encode()]
        connection = self.admin_connection()
        try:
            connection.modify_s(group_dn(group), [(ldap.MOD_REPLACE, "member", members)])
        finally:
            connection.unbind_s()

    def _wait_until_it_answers(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                self.admin_connection().unbind_s()
            except ldap.LDAPError:
                time.sleep(0.1)
            else:
                return True
        return False

    def _run(self, tool: str, *args) -> None:
        program = shutil.which(tool) or str(Path(SLAPD).with_name(tool))
        result = subprocess.run(
            [program, *map(str, args)], capture_output=True, text=True, timeout=60
        )
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed: {result.stdout}{result.stderr}")
