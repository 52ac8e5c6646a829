"""Directory sign-in (LDAP, Active Directory): the person's own password is checked by a
bind as them, and their groups say their role and departments. Local accounts stay (the
first admin, break-glass) and are never looked up in the directory.

Settings: ``--ldap-url`` (where the directory is) and the policy's ``directory`` section:
``user_dn`` (a bind DN template: ``uid={local},ou=people,dc=city,dc=example`` for
OpenLDAP, ``{username}`` for Active Directory's user principal names), ``groups_base``,
``roles`` (group cn → role) and ``departments`` (group cn → the policy's sender group).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sekisho.errors import SekishoError

# The marker a directory-managed account has instead of a password hash: no local
# password can match it, and the login asks the directory.
DIRECTORY_MARK = "directory:"
_RANK = {"sender": 0, "auditor": 1, "approver": 2, "admin": 3}


class DirectoryDown(SekishoError):
    """The directory did not answer (down, unreachable, timed out)."""


@dataclass(frozen=True)
class DirectorySettings:
    url: str
    user_dn: str
    groups_base: str
    roles: dict[str, str] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)
    timeout: int = 5  # seconds (ldap3 wants whole ones)


@dataclass(frozen=True)
class DirectoryUser:
    role: str
    departments: tuple[str, ...]


def sign_in(settings: DirectorySettings, username: str, password: str) -> DirectoryUser | None:
    """The person's role and departments when the directory accepts their password and
    one of their groups names a role; None when it refuses them. ``DirectoryDown`` when
    it cannot be asked."""
    from ldap3 import Connection, Server
    from ldap3.core.exceptions import LDAPException
    from ldap3.utils.conv import escape_filter_chars
    from ldap3.utils.dn import escape_rdn

    if not password:  # an empty password is an anonymous bind, which always "succeeds"
        return None
    local = username.partition("@")[0]
    dn = settings.user_dn.format(username=escape_rdn(username), local=escape_rdn(local))
    server = Server(settings.url, connect_timeout=settings.timeout)
    # check_names off: the filter names memberUid (posixGroup), which a directory
    # without the nis schema does not know; it simply matches nothing there.
    connection = Connection(
        server, dn, password, receive_timeout=settings.timeout, check_names=False
    )
    try:
        if not connection.bind():
            return None
        connection.search(
            settings.groups_base,
            f"(|(member={escape_filter_chars(dn)})(uniqueMember={escape_filter_chars(dn)})"
            f"(memberUid={escape_filter_chars(local)}))",
            attributes=["cn"],
        )
        found = list(connection.response or [])
    except LDAPException as exc:
        raise DirectoryDown(f"{settings.url}: {type(exc).__name__}: {exc}") from exc
    finally:
        connection.unbind()
    groups = set()
    for item in found:
        names = (item.get("attributes") or {}).get("cn") or []
        groups.update(str(n) for n in ([names] if isinstance(names, str) else names))
    roles = [settings.roles[g] for g in groups if g in settings.roles]
    if not roles:
        return None  # in the directory, but not a Sekisho user
    departments = tuple(
        sorted(settings.departments[g] for g in groups if g in settings.departments)
    )
    return DirectoryUser(max(roles, key=lambda r: _RANK.get(r, -1)), departments)
