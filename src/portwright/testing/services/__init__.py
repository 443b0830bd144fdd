"""Real servers on loopback for tests (Dovecot IMAP/LMTP, OpenSSH SFTP).

Each runner starts its server in a temporary directory on free ports and stops it,
so tests use the real thing without touching the machine's own configuration.
"""
