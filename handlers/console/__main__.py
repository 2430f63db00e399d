import sys

from bot.app import Adapters
from bot.cli import main
from handlers.console.cli import run

sys.exit(main(["console", *sys.argv[1:]], adapters=Adapters(console=run)))
