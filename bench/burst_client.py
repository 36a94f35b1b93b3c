#!/usr/bin/env python3
"""Many keep-alive connections to one HTTP/1.1 server, for bench/burst-vs-haproxy.sh.

  burst_client.py burst HOST PORT PATH N   opens N connections (at most --connect-at-once connecting at a time),
                                           then sends one GET on every one of them at once and waits for all the
                                           answers; prints "answered=.. non2xx=.. errors=.. seconds=.." where
                                           seconds is from the first request written to the last answer read.
  burst_client.py idle HOST PORT PATH N    opens N connections and sends one GET on each (the same way), prints
                                           the burst line, then "ready" and keeps every connection open and idle
                                           until its standard input closes (the benchmark measures meanwhile).

The process needs N file descriptors: the benchmark raises `ulimit -n` before starting it.
"""
import argparse
import asyncio
import sys
import time


async def connect(host, port, gate):
    async with gate:
        return await asyncio.open_connection(host, port)


async def exchange(reader, writer, request, timeout):
    """One request on an open connection: its status, or an exception."""
    writer.write(request)
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
        elif name.strip().lower() == "transfer-encoding":
            raise ValueError("chunked answer: not expected from a static file")
    if length:
        await asyncio.wait_for(reader.readexactly(length), timeout)
    return status


async def run(args):
    gate = asyncio.Semaphore(args.connect_at_once)
    opened = await asyncio.gather(*(connect(args.host, args.port, gate) for _ in range(args.n)),
                                  return_exceptions=True)
    streams = [s for s in opened if not isinstance(s, BaseException)]
    connect_errors = len(opened) - len(streams)
    request = f"GET {args.path} HTTP/1.1\r\nHost: {args.host}:{args.port}\r\n\r\n".encode()
    started = time.monotonic()
    results = await asyncio.gather(*(exchange(r, w, request, args.timeout) for r, w in streams),
                                   return_exceptions=True)
    seconds = time.monotonic() - started
    statuses = [r for r in results if isinstance(r, int)]
    answered = sum(1 for s in statuses if 200 <= s < 300)
    non2xx = len(statuses) - answered
    errors = connect_errors + len(results) - len(statuses)
    kinds = sorted({type(r).__name__ for r in results if not isinstance(r, int)}
                   | {type(s).__name__ for s in opened if isinstance(s, BaseException)})
    print(f"answered={answered} non2xx={non2xx} errors={errors} seconds={seconds:.3f}"
          + (f" error_kinds={','.join(kinds)}" if kinds else ""), flush=True)
    if args.mode == "idle":
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    for _, writer in streams:
        writer.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["burst", "idle"])
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("path")
    parser.add_argument("n", type=int)
    parser.add_argument("--connect-at-once", type=int, default=256,
                        help="connections being opened at a time (keeps under the listen backlog)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one answer")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
