"""Analyses of a stakeholder graph: plain functions over networkx graphs, plain results."""
