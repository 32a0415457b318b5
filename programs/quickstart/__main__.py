"""Quickstart: a small brand-asset library in Kontent.ai, managed as code.

A folder tree, images and a PDF with titles and alt texts in both languages, a thumbnail
rendition of the logo, and the hero image linked into the `home` item's English variant.
Point it at a real environment with the kontent:* config keys (see README.md).
"""

import pulumi

from kontent_resources import Asset, Folder, Rendition, Transformation, VariantAssetLink

brand = Folder("brand", name="Brand")
logos = Folder("logos", name="Logos", parent=brand)
photos = Folder("photos", name="Photography", parent=brand)
documents = Folder("documents", name="Documents")

logo = Asset(
    "logo",
    source="files/logo.png",
    title="Company logo",
    folder=logos,
    descriptions={
        "en-US": "Company logo: an orange square with a white circle",
        "es-ES": "Logotipo de la empresa",
    },
)
icon = Asset(
    "icon",
    source="files/icon.svg",
    title="App icon",
    folder=logos,
    descriptions={"en-US": "App icon", "es-ES": "Icono de la aplicación"},
)
hero = Asset(
    "hero",
    source="files/hero.jpg",
    title="Homepage hero",
    folder=photos,
    descriptions={
        "en-US": "Mountains at dusk under an orange sun",
        "es-ES": "Montañas al atardecer bajo un sol naranja",
    },
)
team = Asset(
    "team",
    source="files/team.jpg",
    title="Our team",
    folder=photos,
    descriptions={"en-US": "The four founders", "es-ES": "Los cuatro fundadores"},
)
guidelines = Asset(
    "guidelines",
    source="files/brand-guidelines.pdf",
    title="Brand guidelines",
    folder=documents,
    descriptions={"en-US": "How to use the logo and colours", "es-ES": "Cómo usar el logotipo y los colores"},
)

logo_thumbnail = Rendition(
    "logo-thumbnail",
    asset=logo,
    transformation=Transformation(x=0, y=0, width=400, height=400, custom_width=200, custom_height=200),
)

home_hero = VariantAssetLink(
    "home-hero",
    item="codename/home",
    language="codename/en-US",
    element="hero_image",
    asset=hero,
)

pulumi.export(
    "asset_ids",
    {"logo": logo.id, "icon": icon.id, "hero": hero.id, "team": team.id, "guidelines": guidelines.id},
)
pulumi.export(
    "asset_urls",
    {"logo": logo.url, "icon": icon.url, "hero": hero.url, "team": team.url, "guidelines": guidelines.url},
)
pulumi.export("logo_thumbnail_id", logo_thumbnail.id)
pulumi.export("home_hero_link", home_hero.id)
