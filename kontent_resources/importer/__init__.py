"""``kontent-resources import``: an existing environment as a ready-to-run Pulumi project.

``snapshot`` reads the environment, ``layout`` decides stable names and file paths (safe on Linux,
macOS and Windows), ``refusals`` what is left out and why, ``files`` downloads the asset files,
``project`` writes the program, both through ``output_folder``, which follows no symbolic link;
``cli`` is the command.
"""
