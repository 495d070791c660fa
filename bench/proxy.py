"""A small local TCP proxy: each connection on one port goes to the next of several back ends.

What a load balancer in front of two app servers does, reduced to what a benchmark on one machine
needs (round robin, a back end that refuses is skipped):

    .venv/bin/python bench/proxy.py --listen 8800 --backend 8801 --backend 8802
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools

CHUNK = 64 * 1024


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            if writer.can_write_eof():
                writer.write_eof()


class RoundRobin:
    def __init__(self, host: str, ports: list[int]) -> None:
        self.host = host
        self.ports = ports
        self._next = itertools.cycle(range(len(ports)))

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        error: OSError | None = None
        for _ in self.ports:
            port = self.ports[next(self._next)]
            try:
                return await asyncio.open_connection(self.host, port)
            except OSError as exc:  # a back end restarting: try the next
                error = exc
        raise error or OSError("no back end")

    async def handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await self._connect()
        except OSError:
            client_w.close()
            return
        await asyncio.gather(_pipe(client_r, server_w), _pipe(server_r, client_w))
        for w in (server_w, client_w):
            w.close()


async def serve(listen: int, backends: list[int], host: str = "127.0.0.1") -> None:
    proxy = RoundRobin(host, backends)
    server = await asyncio.start_server(proxy.handle, host, listen, backlog=1024)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--backend", type=int, action="append", required=True, help="a back end's port")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.listen, args.backend))


if __name__ == "__main__":
    main()
