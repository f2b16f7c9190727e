"""peermentor: a self-hostable platform for peer-mentoring programmes."""

__version__ = "0.1.0"
