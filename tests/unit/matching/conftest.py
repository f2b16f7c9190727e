"""Shared by the matching tests. (A networkx stand-in for the solver lived here until
peermentor.matching.solver landed; the tests now use the real solver.)"""
