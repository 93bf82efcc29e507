"""Many concurrent requests to Telegram without httpcore's cost per pooled connection.

httpx's connection pool (httpcore 1.x) re-examines every pooled connection, with a
readability syscall each, whenever a request starts or ends, so one pool of N
connections costs O(N) per request: at 1,000 messages a second with 64 connections that
dominated the sender's CPU. Several small pools, used in turn, keep the same number of
requests in flight at a fraction of the cost. This is python-telegram-bot's own extension
point (a `BaseRequest`), wrapping its own `HTTPXRequest`.
"""

from __future__ import annotations

import itertools
from typing import Any

from telegram.request import BaseRequest, HTTPXRequest, RequestData

CONNECTIONS_PER_POOL = 4


class ShardedRequest(BaseRequest):
    """Round-robin over small HTTPX pools."""

    def __init__(self, connections: int, per_pool: int = CONNECTIONS_PER_POOL) -> None:
        pools = max(1, -(-connections // per_pool))
        self._pools = [HTTPXRequest(connection_pool_size=per_pool) for _ in range(pools)]
        self._next = itertools.cycle(self._pools)

    @property
    def read_timeout(self) -> float | None:
        return self._pools[0].read_timeout

    async def initialize(self) -> None:
        for pool in self._pools:
            await pool.initialize()

    async def shutdown(self) -> None:
        for pool in self._pools:
            await pool.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        return await next(self._next).do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
