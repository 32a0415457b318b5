"""Asset directory: the files under library/ mirrored into Kontent.ai folders and assets.

Every subdirectory becomes a folder and every file an asset in its folder. Titles and alt texts
(en-US, es-ES) come from library/assets.json; files it does not mention get a title from their
name (summit-stage.jpg → "Summit stage"). Add, edit, rename or delete files and run `up` again:
the environment follows the tree. Point it at an environment with the kontent:* config keys
(see README.md); nothing runs without them.
"""

import pulumi

from kontent_resources.components import AssetDirectory

library = AssetDirectory(
    "library",
    "library",
    default_descriptions={"en-US": "Brand library file", "es-ES": "Archivo de la biblioteca de marca"},
)

pulumi.export("assets", library.assets)
pulumi.export("urls", library.urls)
pulumi.export("folders", library.folders)
