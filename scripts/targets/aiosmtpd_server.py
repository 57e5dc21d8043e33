"""aiosmtpd for the smtpgauge interop tier: `python3 -m aiosmtpd` plus AUTH and a test domain.

The stock CLI (aiosmtpd.main) cannot configure AUTH: the authenticator is an argument of the
SMTP class. This builds that same class as `python3 -m aiosmtpd -n -c aiosmtpd.handlers.Sink
--tlscert C --tlskey K --no-requiretls` does (no size limit, so no SIZE keyword; no SMTPUTF8;
STARTTLS optional), plus AUTH PLAIN/LOGIN for one account, offered after STARTTLS only (the
library default), and a handle_RCPT hook that refuses domains other than the test domain.
Usage: aiosmtpd_server.py PORT CERT KEY USER; the password is read from SMTPGAUGE_AUTH_PASS.
"""

import asyncio
import os
import pwd
import signal
import ssl
import sys

from aiosmtpd import __version__
from aiosmtpd.handlers import Sink
from aiosmtpd.smtp import SMTP, AuthResult

DOMAIN = "example.test"


class TestDomainSink(Sink):
    """Discards every message; refuses recipients at any domain but DOMAIN (no relay).

    Addresses without a domain (<Postmaster>, and whatever else aiosmtpd's parser lets through)
    get the stock answer, so the suites see aiosmtpd's own behaviour there.
    """

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        _, at, domain = address.rpartition("@")
        if at and domain.lower() != DOMAIN:
            return "550 5.7.1 Relaying denied"
        envelope.rcpt_tos.append(address)  # what SMTP does when there is no handle_RCPT
        return "250 OK"


def serve(factory, port: int) -> None:
    """Serves factory() on 127.0.0.1:port as `nobody` until SIGTERM or SIGINT."""
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=port))
    nobody = pwd.getpwnam("nobody")  # like the CLI without -n, but after loading the key
    os.setgroups([])
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    print(f"aiosmtpd {__version__} listening on 127.0.0.1:{port}", flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()


def main() -> None:
    port, cert, key, user = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    password = os.environ["SMTPGAUGE_AUTH_PASS"].encode()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == user.encode() and auth_data.password == password
        return AuthResult(success=ok, handled=False)  # handled=False: smtp_AUTH sends 535

    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.check_hostname = False
    tls.load_cert_chain(cert, key)

    def factory():
        # hostname given explicitly: the default, socket.getfqdn(), may ask DNS off the box.
        return SMTP(TestDomainSink(), data_size_limit=None, enable_SMTPUTF8=False,
                    hostname="localhost", tls_context=tls, require_starttls=False,
                    authenticator=authenticator)

    serve(factory, int(port))


if __name__ == "__main__":
    main()
