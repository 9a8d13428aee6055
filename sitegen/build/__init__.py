"""The build stage: the pipeline (`build`), the incremental rebuild (`Builder`), writing the
output atomically, and `sitegen serve`."""

from sitegen.build.incremental import Builder
from sitegen.build.pipeline import BuildResult, build, check_project, published

__all__ = ["BuildResult", "Builder", "build", "check_project", "published"]
