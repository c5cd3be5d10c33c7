"""Planning, step six of the data flow: many runs of varied scenarios, kept in a results
store and judged against conditions. Varied parameters (:mod:`~portsim.planning.vary`), the
store (:mod:`~portsim.planning.store`), where runs run (:mod:`~portsim.planning.cluster`),
runs from the store or computed (:mod:`~portsim.planning.runner`), the conditions a
configuration must meet (:mod:`~portsim.planning.conditions`), the statistical rule
(:mod:`~portsim.planning.confirm`), ``sweep``, ``plan``, ``capacity``, ``staffing`` and
``sensitivity`` (a module each), their Python face (:mod:`~portsim.planning.requests`) and
stored requests shown again (:mod:`~portsim.planning.replay`).

This package imports none of its modules: ``portsim.planning.sweep`` is the sweep's module
(the function is :func:`portsim.sweep`), and a module that needs one part of planning does
not pay for the rest.
"""
