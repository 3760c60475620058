"""Thin interactive widgets over lessonkit's pure models; one module per widget family."""
