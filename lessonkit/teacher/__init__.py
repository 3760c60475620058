"""Teacher tools: hand lessons out to a class, gather what learners hand back, read the class at a glance.

Everything works on plain files (a roster CSV, notebooks, answers files, zips), so any LMS,
email or JupyterHub can carry them. Nothing a learner hands in is ever executed.

- :mod:`.roster`  reads a class list and gives every learner a pseudonymous, file-safe id
- :mod:`.params`  knows each lesson's parameters (from papermill) and checks values for them
- :mod:`.assign`  writes one parameterized copy of each lesson per learner, a manifest and a zip
- :mod:`.unpack`  finds submitted files in folders and zips, within safe limits
- :mod:`.collect` turns each file into one record and keeps the latest per learner
- :mod:`.report`  turns the records into a gradebook CSV and a self-contained HTML page
- :mod:`.links`   builds the Binder and nbgitpuller links that open the course
- :mod:`.svg`     draws the report's small inline charts; :mod:`.files` holds shared file helpers
- :mod:`.commands` adds ``assign``, ``collect`` and ``links`` to the ``lessonkit`` command
"""
