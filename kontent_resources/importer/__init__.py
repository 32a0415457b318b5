"""``kontent-resources import``: an existing environment as a ready-to-run Pulumi project.

``snapshot`` reads the environment, ``layout`` decides stable names and file paths, ``files``
downloads the asset files, ``project`` writes the program; ``cli`` is the command.
"""
