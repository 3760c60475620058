"""Teacher tools: hand lessons out to a class, gather what learners hand back, read the class at a glance.

Everything works on plain files (a roster CSV, notebooks, answers files, zips), so any LMS,
email or JupyterHub can carry them. Nothing a learner hands in is ever executed.

- :mod:`.roster`  reads a class list and gives every learner a pseudonymous, file-safe id
- :mod:`.params`  knows each lesson's parameters (from papermill) and checks values for them
- :mod:`.assign`  writes one parameterized copy of each lesson per learner, a manifest and a zip
- :mod:`.collect` reads submissions (files, folders, zips) within safe limits, one record each
- :mod:`.report`  turns the records into a gradebook CSV and a self-contained HTML page
- :mod:`.links`   builds the Binder and nbgitpuller links that open the course
"""
