# SPDX-License-Identifier: Apache-2.0
"""A cocotb-style async layer over the cycle-controlled simulated card.

Coroutines (``async def``) drive and watch the card at the same time, on one event loop that this
module owns; the simulation advances only when every task is waiting on a simulation trigger, and
then only as far as the earliest one needs. No wall-clock time is involved: the same seed and the
same coroutines give the same run, cycle for cycle.

    sim = AsyncSim(card)

    async def driver():
        for f in frames:
            card.send(f)
            await sim.cycles(100)

    async def monitor(ring, n):
        got = []
        while len(got) < n:
            got.append(await sim.until(ring.poll))   # until returns the predicate's value
        return got

    async def test():
        d = sim.start_soon(driver())
        ticks = await sim.start_soon(monitor(ring, 10))
        await d
        return ticks

    ticks = sim.run(test())

Triggers: ``await sim.cycles(n)`` (n clk cycles), ``await sim.until(predicate, timeout=..., every=1)``
(checked now, then every ``every`` clk cycles; TimeoutError after ``timeout`` cycles),
``await task`` (its result), ``await event.wait()``, ``await queue.get()``. An exception in any task
ends ``run`` with that exception (the test fails), as in cocotb.
"""
from __future__ import annotations

import heapq
import itertools
from collections import deque
from typing import Any, Callable, Coroutine


class Trigger:
    """Something a task can await. The scheduler resumes the task with a value or an exception."""

    def __await__(self):
        value = yield self
        return value

    def _register(self, sched: "AsyncSim", task: "Task") -> None:  # pragma: no cover
        raise NotImplementedError


class _Cycles(Trigger):
    def __init__(self, n: int):
        if n < 0:
            raise ValueError(f"cycles({n}): n must be >= 0")
        self.n = n

    def _register(self, sched, task):
        if self.n == 0:
            sched._wake(task, None)
        else:
            sched._add_timer(sched.now + self.n, task)

    def __repr__(self):
        return f"cycles({self.n})"


class _Until(Trigger):
    def __init__(self, predicate: Callable[[], Any], timeout: int, every: int):
        if every < 1:
            raise ValueError("every must be >= 1")
        self.predicate = predicate
        self.timeout = timeout
        self.every = every

    def _register(self, sched, task):
        sched._add_poller(self, task)

    def __repr__(self):
        return f"until({getattr(self.predicate, '__name__', self.predicate)!r})"


class _Join(Trigger):
    def __init__(self, task: "Task"):
        self.task = task

    def _register(self, sched, task):
        if self.task.done:
            sched._wake_from(task, self.task)
        else:
            self.task._joiners.append(task)


class Task:
    """A coroutine running on the scheduler. ``await task`` gives its result (or raises its
    exception)."""

    _ids = itertools.count()

    def __init__(self, sched: "AsyncSim", coro: Coroutine, name: str | None = None):
        self._sched = sched
        self._coro = coro
        self.name = name or getattr(coro, "__name__", "task")
        self.id = next(Task._ids)
        self.done = False
        self._result = None
        self._exc: BaseException | None = None
        self._joiners: list[Task] = []
        self.cancelled = False

    def result(self):
        if not self.done:
            raise RuntimeError(f"task {self.name} has not finished")
        if self._exc is not None:
            raise self._exc
        return self._result

    def cancel(self) -> None:
        """Stop the task where it waits (its coroutine is closed); awaiting it then gives None."""
        if self.done:
            return
        self._sched._forget(self)
        self._coro.close()
        self.cancelled = True
        self._finish(None, None)

    def _finish(self, result, exc):
        self.done = True
        self._result, self._exc = result, exc
        for j in self._joiners:
            self._sched._wake_from(j, self)
        self._joiners.clear()

    def __await__(self):
        return _Join(self).__await__()

    def __repr__(self):
        state = "done" if self.done else "running"
        return f"<Task {self.name} {state}>"


class Event:
    """A flag tasks can wait for (cocotb's Event)."""

    def __init__(self, sched: "AsyncSim"):
        self._sched = sched
        self.is_set = False
        self.data = None
        self._waiters: list[Task] = []

    def set(self, data=None) -> None:
        self.is_set = True
        self.data = data
        for t in self._waiters:
            self._sched._wake(t, data)
        self._waiters.clear()

    def clear(self) -> None:
        self.is_set = False

    def wait(self) -> Trigger:
        ev = self

        class _Wait(Trigger):
            def _register(self, sched, task):
                if ev.is_set:
                    sched._wake(task, ev.data)
                else:
                    ev._waiters.append(task)

        return _Wait()


class Queue:
    """An unbounded FIFO between tasks (e.g. driver -> scoreboard)."""

    def __init__(self, sched: "AsyncSim"):
        self._sched = sched
        self._items: deque = deque()
        self._getters: deque[Task] = deque()

    def put(self, item) -> None:
        if self._getters:
            self._sched._wake(self._getters.popleft(), item)
        else:
            self._items.append(item)

    def empty(self) -> bool:
        return not self._items

    def __len__(self):
        return len(self._items)

    def get(self) -> Trigger:
        q = self

        class _Get(Trigger):
            def _register(self, sched, task):
                if q._items:
                    sched._wake(task, q._items.popleft())
                else:
                    q._getters.append(task)

        return _Get()


class AsyncSim:
    """The event loop: tasks on the card's clk timeline."""

    def __init__(self, card, default_timeout: int = 10_000_000):
        self.card = card
        self.default_timeout = default_timeout
        self._ready: deque = deque()  # (task, value, exc)
        self._timers: list = []  # heap of (cycle, seq, task)
        self._pollers: list = []  # [next_check, seq, deadline, trigger, task]
        self._seq = itertools.count()
        self._tasks: list[Task] = []

    # ---------------------------------------------------------------- triggers
    @property
    def now(self) -> int:
        """clk cycles since reset (CSR accesses and ring polls that write CONS advance it too)."""
        return self.card.clk_cycles

    def cycles(self, n: int) -> Trigger:
        """Resume after `n` clk cycles."""
        return _Cycles(int(n))

    def until(self, predicate: Callable[[], Any], *, timeout: int | None = None, every: int = 1) -> Trigger:
        """Resume with the predicate's value as soon as it is truthy: checked now, then every
        `every` clk cycles; TimeoutError after `timeout` clk cycles."""
        return _Until(predicate, self.default_timeout if timeout is None else int(timeout), int(every))

    def tick(self, ring, *, timeout: int | None = None, every: int = 1) -> Trigger:
        """The next tick of `ring` (waits until the card has written it)."""
        return self.until(ring.poll, timeout=timeout, every=every)

    def idle(self, *, quiet_cycles: int | None = None, timeout: int | None = None) -> Trigger:
        """Resume when every queued frame went in and the card has been quiet for a while."""
        q = quiet_cycles
        pred = (lambda: self.card.is_idle()) if q is None else (lambda: self.card.is_idle(q))
        return self.until(pred, timeout=timeout, every=64)

    def event(self) -> Event:
        return Event(self)

    def queue(self) -> Queue:
        return Queue(self)

    # ---------------------------------------------------------------- tasks
    def start_soon(self, coro: Coroutine, name: str | None = None) -> Task:
        """Schedule a coroutine; it first runs when the current task next awaits."""
        t = Task(self, coro, name)
        self._tasks.append(t)
        self._wake(t, None)
        return t

    def run(self, coro: Coroutine, name: str | None = None):
        """Run `coro` (and the tasks it starts) until it returns; give its result. Tasks still
        running then are cancelled. An exception in any task is raised here."""
        main = self.start_soon(coro, name or "main")
        try:
            while not main.done:
                self._run_ready()
                if main.done:
                    break
                if not self._timers and not self._pollers:
                    waiting = [t for t in self._tasks if not t.done]
                    raise RuntimeError(
                        f"deadlock: no task waits on the simulation, so it can never advance; waiting: {waiting}"
                    )
                self._advance()
        finally:
            for t in self._tasks:
                if not t.done:
                    t.cancel()
            self._tasks.clear()
            self._ready.clear()
            self._timers.clear()
            self._pollers.clear()
        return main.result()

    # ---------------------------------------------------------------- internals
    def _wake(self, task: Task, value, exc: BaseException | None = None) -> None:
        self._ready.append((task, value, exc))

    def _wake_from(self, task: Task, finished: Task) -> None:
        self._wake(task, finished._result, finished._exc)

    def _add_timer(self, cycle: int, task: Task) -> None:
        heapq.heappush(self._timers, (cycle, next(self._seq), task))

    def _add_poller(self, trig: _Until, task: Task) -> None:
        try:
            v = trig.predicate()
        except Exception as e:  # noqa: BLE001 - handed to the waiting task
            self._wake(task, None, e)
            return
        if v:
            self._wake(task, v)
            return
        now = self.now
        self._pollers.append([now + trig.every, next(self._seq), now + trig.timeout, trig, task])

    def _forget(self, task: Task) -> None:
        self._timers = [e for e in self._timers if e[2] is not task]
        heapq.heapify(self._timers)
        self._pollers = [p for p in self._pollers if p[4] is not task]
        self._ready = deque(r for r in self._ready if r[0] is not task)

    def _run_ready(self) -> None:
        while self._ready:
            task, value, exc = self._ready.popleft()
            if task.done:
                continue
            try:
                trig = task._coro.throw(exc) if exc is not None else task._coro.send(value)
            except StopIteration as e:
                task._finish(e.value, None)
                continue
            except BaseException as e:
                task._finish(None, e)
                raise
            if not isinstance(trig, Trigger):
                err = TypeError(
                    f"task {task.name} awaited {trig!r}: only tickwire_sim triggers (cycles, until, "
                    "tasks, Event.wait, Queue.get) can be awaited on this loop"
                )
                self._wake(task, None, err)
                continue
            trig._register(self, task)

    def _advance(self) -> None:
        now = self.now
        candidates = [p[0] for p in self._pollers]
        if self._timers:
            candidates.append(self._timers[0][0])
        target = min(candidates)
        if target > now:
            self.card.run_cycles(target - now)
        now = self.now
        while self._timers and self._timers[0][0] <= now:
            _, _, task = heapq.heappop(self._timers)
            self._wake(task, None)
        due = sorted((p for p in self._pollers if p[0] <= now), key=lambda p: p[1])
        for p in due:
            _, _, deadline, trig, task = p
            try:
                v = trig.predicate()
            except Exception as e:  # noqa: BLE001 - handed to the waiting task
                self._pollers.remove(p)
                self._wake(task, None, e)
                continue
            if v:
                self._pollers.remove(p)
                self._wake(task, v)
            elif self.now >= deadline:
                self._pollers.remove(p)
                self._wake(task, None, TimeoutError(f"{trig!r} still false after {trig.timeout} clk cycles"))
            else:
                p[0] = self.now + trig.every
