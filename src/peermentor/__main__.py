from peermentor.cli import app

app(prog_name="peermentor")
