"""Lesson 03's track maker: compose, synthesise, mix, measure, draw a cover and export, all offline.

One job per module: ``settings`` (a version's choices, checked), ``compose`` (the notes),
``synth`` (notes to sound), ``mix`` (levels, pans and the limiter), ``loudness`` (the meter),
``midi``, ``cover``, ``session`` (versions and the ear's journal) and ``export``. None of them
imports ipywidgets; the widgets live in :mod:`lessonkit.widgets.track` (behaviour),
``track_layout`` (the controls) and ``track_words`` (what the studio says).
"""
