"""The packages of the wheel: the simulator, and the step library under an import name of its own.

The repository keeps its folders (steps/, fixtures/); the wheel carries them as `sferum_sim_steps` and
`sferum_sim_steps.fixtures`, a name no team's own `steps` package can shadow. pyproject.toml holds the rest.
"""

from setuptools import find_packages, setup

STEP_LIBRARY = {"sferum_sim_steps": "steps", "sferum_sim_steps.fixtures": "fixtures"}

setup(packages=[*find_packages(include=["simulator", "simulator.*"]), *STEP_LIBRARY], package_dir=STEP_LIBRARY)
