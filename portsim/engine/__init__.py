"""The engine, step three of the data flow: one replication of a compiled model on SimPy's
clock, written down by a recorder. The only package that touches SimPy."""

from .chunks import ChunkRecorder
from .recorders import FullRecorder, Recorder, Unfinished, VisitLog
from .replication import EngineCounters, ReplicationResult, run_replication

__all__ = [
    "ChunkRecorder",
    "EngineCounters",
    "FullRecorder",
    "Recorder",
    "ReplicationResult",
    "Unfinished",
    "VisitLog",
    "run_replication",
]
