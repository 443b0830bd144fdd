"""The credential store: named secrets from the environment or a Fernet-encrypted file.

See ``naming`` for how ``secrets.<portal>.<name>`` maps to environment variables and
file keys, and ``keyring`` for where the encryption key comes from.
"""

from __future__ import annotations

from portwright.auth.credentials.keyring import (
    KEY_ENV,
    KEY_FILE_ENV,
    create_key_file,
    default_key_file,
    load_fernet,
)
from portwright.auth.credentials.naming import ENV_PREFIX, SecretKey, env_var_name
from portwright.auth.credentials.sources import (
    EncryptedFileSource,
    EnvironmentSource,
    SecretSource,
)
from portwright.auth.credentials.store import (
    SECRETS_FILE_ENV,
    CredentialStore,
    default_secrets_file,
)

__all__ = [
    "ENV_PREFIX",
    "KEY_ENV",
    "KEY_FILE_ENV",
    "SECRETS_FILE_ENV",
    "CredentialStore",
    "EncryptedFileSource",
    "EnvironmentSource",
    "SecretKey",
    "SecretSource",
    "create_key_file",
    "default_key_file",
    "default_secrets_file",
    "env_var_name",
    "load_fernet",
]
