"""Wire schemas of sync protocol v1, shared by the client and ``platform_server``.

One definition of every message: the server validates requests and renders its OpenAPI
document from these models; the client builds requests and parses responses with them.
"""

from sync.protocol.v1 import *  # noqa: F403
from sync.protocol.v1 import __all__  # noqa: F401
