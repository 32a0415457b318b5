"""Two processes of one machine, one environment, the API's real limits: they share the budget.

Each process alone keeps under 10 requests/s; two of them used to send 20/s between them and
meet 429s (two stacks at the real limits: 164 of 648 calls). With the machine-wide ledger the
emulator, enforcing the documented limits, answers none of them 429.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from kontent_resources.emulator.server import EmulatorServer

CALLS = 40
CLIENT = textwrap.dedent(
    """
    import sys
    from kontent_resources.client import KontentClient
    env, key, url, calls = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with KontentClient(env, key, url) as client:  # the default limits: 10/s, 400/min
        for _ in range(calls):
            client.collections.list()
        print(client.stats.snapshot()["retries"])
    """
)


def test_two_processes_share_one_environment_budget() -> None:
    with EmulatorServer(rate_limit=True) as api:
        args = [api.environment_id, api.api_key, api.base_url, str(CALLS)]
        processes = [
            subprocess.Popen([sys.executable, "-c", CLIENT, *args], stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [process.communicate(timeout=120)[0] for process in processes]
        assert [process.returncode for process in processes] == [0, 0]
        counters = api.counters()
    print(f"\n--- two processes, {CALLS} calls each: retries {outputs}, counters {counters['by_status']}")
    assert counters["by_endpoint"]["GET /collections"] == 2 * CALLS
    assert counters["rate_limited"] == 0, "no 429: the processes took turns"
    assert [line.strip() for line in outputs] == ["{}", "{}"]
