r"""The TCP accept queue: per-OS backlog rules, the steady state of a
listening socket, and login storms.

A listening server with c worker threads calling ``accept()`` and an accept
queue that holds the completed connections no worker has taken yet is an
M/M/c/K queue with K = c + the queue's capacity; what that capacity is for a
``listen(backlog)``, and what a refused attempt meets, differ by operating
system (:mod:`queuemath.tcp.backlog`, with the kernel sources and Microsoft
KB articles behind each rule).  A morning login storm is a transient
(:mod:`queuemath.tcp.storm`).

===================================  ==========================================
:func:`accept_queue_capacity`        completed connections a backlog holds
:func:`os_max_backlog`               the largest backlog the OS honours
:class:`ListenQueue`                 the accept queue as an M/M/c/K model
:func:`min_backlog`                  the backlog for a refusal target
:func:`login_storm`                  exact transient of a burst
:func:`storm_refusals`               a burst's refused first attempts
:func:`min_backlog_for_storm`        the backlog for a burst's refusal target
:func:`min_workers_for_storm`        the workers for a burst's refusal target
:func:`fluid_storm`                  its fluid approximation
:func:`retry_schedule`               when a refused client tries again
:func:`simulate_storm`               a storm with retries, by simulation
:func:`observe`                      watch a live listener (Linux)
===================================  ==========================================
"""
from .backlog import (KNOWN_OS, OVERFLOW, BacklogAdvice, ListenQueue, accept_queue_capacity,
                      min_backlog, os_family, os_max_backlog)
from .observe import Observation, counters, listeners, observe
from .storm import (SYN_RETRIES, FluidStorm, StormAdvice, StormResult, StormSimulation,
                    fluid_storm, login_storm, min_backlog_for_storm, min_workers_for_storm,
                    retry_schedule, simulate_storm, storm_refusals)

__all__ = ["accept_queue_capacity", "os_max_backlog", "os_family", "ListenQueue",
           "min_backlog", "BacklogAdvice", "KNOWN_OS", "OVERFLOW", "login_storm",
           "StormResult", "fluid_storm", "FluidStorm", "retry_schedule", "SYN_RETRIES",
           "simulate_storm", "StormSimulation", "storm_refusals", "min_backlog_for_storm",
           "min_workers_for_storm", "StormAdvice", "observe", "Observation", "listeners",
           "counters"]
