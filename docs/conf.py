"""Sphinx configuration of the queuemath site (``make docs``).

The build is offline and self-contained: MathJax is served from the site
(sphinx-mathjax-offline), the notebooks and the how-to guides are executed at
build time (myst-nb), the gallery is drawn by the plot functions
(sphinx-gallery), and warnings, broken cross-references included, are errors
(``-W -n`` in the Makefile).
"""
import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")      # the gallery and autodoc draw without a screen
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")   # the kernels' debugger warns otherwise
# The notebooks' kernels log only errors (ipykernel warns on stderr, for every
# kernel, that loopback TCP is unencrypted) and keep no history: their IPython
# profile is a throw-away one, so the build writes nothing outside its output.
_PROFILE = Path(tempfile.mkdtemp(prefix="queuemath-docs-ipython-")) / "profile_default"
_PROFILE.mkdir()
(_PROFILE / "ipython_kernel_config.json").write_text(
    json.dumps({"IPKernelApp": {"log_level": "ERROR"}, "HistoryManager": {"enabled": False}}))
os.environ["IPYTHONDIR"] = str(_PROFILE.parent)
atexit.register(shutil.rmtree, _PROFILE.parent, ignore_errors=True)

import queuemath  # noqa: E402

project = "queuemath"
author = "the queuemath developers"
copyright = "2026, the queuemath developers"   # noqa: A001
release = queuemath.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",
    "numpydoc",
    "myst_nb",
    "sphinx_gallery.gen_gallery",
    "sphinx_design",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "gallery_src", "**.ipynb_checkpoints", "gallery/*.ipynb",
                    "gallery/*.py", "gallery/*.zip", "gallery/*.json", "gallery/*.md5"]
templates_path = ["_templates"]
nitpicky = True
# The build has no network, so the Python, numpy and pandas inventories
# (intersphinx) cannot be fetched: their types are written out, not linked.
nitpick_ignore_regex = [
    (r"py:(class|obj|data)", r"(numpy|np|pandas|pd|matplotlib|scipy|sympy|datetime|pathlib|socket)\..*"),
    (r"py:(class|obj|data)", r"(float|int|bool|str|dict|list|tuple|callable|object|None|ndarray|"
                             r"DataFrame|Series|Axes|Figure|optional|array_like|array-like|sequence|"
                             r"iterable|mapping|default|Expr|Symbol|Executor)"),
]

# --- autodoc / autosummary / numpydoc: one page per public object
autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"members": True, "inherited-members": True, "member-order": "groupwise"}
autodoc_typehints = "none"           # the numpydoc sections carry the types and units
numpydoc_show_class_members = False  # the class template lists the members on the class's page
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = False
numpydoc_xref_param_type = False

# --- myst-nb: notebooks and how-to pages run at build time, in a fresh kernel each
nb_execution_mode = "force"
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
# progress bars write to stderr; they are not an error
nb_output_stderr = "remove"

# --- gallery: one script per figure, drawn by queuemath.plot
sphinx_gallery_conf = {
    "examples_dirs": "gallery_src",
    "gallery_dirs": "gallery",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "reset_modules": ("matplotlib",),
    "matplotlib_animations": False,
    "show_memory": False,
    "min_reported_time": 1e9,        # no timing lines: the pages stay byte-identical between builds
    "plot_gallery": "True",
    "abort_on_example_error": True,
    "write_computation_times": False,
}

# --- HTML
html_theme = "pydata_sphinx_theme"
html_title = f"queuemath {release}"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
html_logo = "_static/favicon.svg"
# the theme logs an error for an empty mode; say which one
html_context = {"default_mode": "auto"}
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"**": ["sidebar-nav-bs"], "index": []}
html_show_sourcelink = False
html_last_updated_fmt = None
