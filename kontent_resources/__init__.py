"""Kontent.ai digital assets as code."""
