"""The deployment files: docker-compose accepts the compose file (the Docker engine does not run
here, so the image is not built), and the Dockerfile runs what the README says."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from ruamel.yaml import YAML

from tests.conftest import ROOT


def test_compose_file_is_accepted_by_docker_compose():
    exe = shutil.which("docker-compose")
    if not exe:
        if os.environ.get("CI") == "true":
            pytest.fail("docker-compose is missing in CI: scripts/test-tools.sh should have installed it")
        pytest.skip("docker-compose is not installed (Debian package docker-compose)")
    env = {**os.environ, "OGOH_SECRET_KEY": "x" * 32}
    result = subprocess.run([exe, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_compose_runs_several_replicas_with_redis_and_a_proxy():
    compose = YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["api"]["deploy"]["replicas"] >= 2
    assert services["api"]["environment"]["OGOH_STORAGE_URL"].startswith("redis://")
    assert "appendonly" in " ".join(services["redis"]["command"])
    assert "proxy" in services and "ports" not in services["redis"]


def test_dockerfile_serves_the_api():
    text = (ROOT / "Dockerfile").read_text()
    assert "ogoh" in text and '"serve"' in text and "USER ogoh" in text
