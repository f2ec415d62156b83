"""A kernel manager for report runs: IPC sockets instead of TCP, so code and outputs stay local.

ipykernel warns "Kernel is running over TCP without encryption" for every TCP kernel; papermill
(and so Ploomber) start kernels over TCP. pipeline.yaml passes this class to papermill
(`executor_params: {kernel_manager_class: ...}`). Unix sockets need short paths (about 107
bytes), so the connection file and its sockets go to a fresh folder under the system temp dir.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import default


class IPCKernelManager(AsyncKernelManager):
    """AsyncKernelManager over IPC, its sockets in a private temporary folder."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._folder = Path(tempfile.mkdtemp(prefix="cbk-"))
        self.connection_file = str(self._folder / "kernel.json")

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        """Remove the connection file and sockets, and the folder once the kernel is gone."""
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._folder, ignore_errors=True)
