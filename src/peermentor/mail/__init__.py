"""Mail: what a message is (message.py), how it is composed, queued once and sent."""
