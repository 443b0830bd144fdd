"""Name and place pools for synthetic people: plainly fictional, reserved domains only."""

from __future__ import annotations

__all__ = ["CITIES", "FIRST_NAMES", "LAST_NAMES", "STREETS"]

FIRST_NAMES: tuple[str, ...] = (
    "Avery", "Jordan", "Riley", "Morgan", "Casey", "Taylor", "Quinn", "Rowan", "Skyler",
    "Emerson", "Harper", "Logan", "Parker", "Reese", "Sawyer", "Dakota", "Hayden", "Jamie",
    "Kendall", "Marley", "Noel", "Oakley", "Peyton", "Remy", "Sage", "Tatum", "Shawn",
    "Alexis", "Blake", "Cameron", "Drew", "Elliot", "Finley", "Gray", "Hollis", "Indigo",
    "Jessie", "Kai", "Lane", "Micah", "Nico", "Ollie", "Phoenix", "Robin", "Sasha", "Toby",
    "Uma", "Val", "Wren", "Yael", "Zion", "Ada", "Beatrix", "Clara", "Dmitri", "Esme",
    "Felix", "Greta", "Hugo", "Iris", "Jonah", "Kira", "Leo", "Mira", "Nadia", "Omar",
    "Priya", "Rafael", "Selma", "Tomas", "Ulla", "Vera", "Wes", "Ximena", "Yusuf", "Zara",
)
LAST_NAMES: tuple[str, ...] = (
    "Nguyen", "Garcia", "Okafor", "Lindqvist", "Patel", "Moreau", "Kowalski", "Haddad",
    "Tanaka", "Reyes", "O'Brien", "Fischer", "Novak", "Abara", "Castillo", "Dubois",
    "Eriksen", "Fontaine", "Gallagher", "Horvath", "Ibarra", "Jensen", "Kimura", "Larsen",
    "Mbeki", "Nakamura", "Oyelaran", "Petrov", "Quintero", "Rossi", "Sato", "Thorne",
    "Ueda", "Varga", "Whitfield", "Xu", "Yamada", "Zielinski", "Ashford", "Bianchi",
    "Carvalho", "Delgado", "Ellison", "Ferrante", "Grummet", "Halvorsen", "Iversen",
    "Juarez", "Kaminski", "Lachance", "Marsh", "Navarro", "Osei", "Pham", "Quade",
    "Rahman", "Santos", "Tran", "Underhill", "Vasquez", "Whitaker", "Young", "Zamora",
)
STREETS: tuple[str, ...] = (
    "Pine St", "Cedar Ave", "Alder Way", "Madrona Dr", "Fir Ln", "Harbor Rd", "Union St",
    "Elm Ct", "Hemlock Pl", "Birch Blvd", "Rainier Ave", "Queen Anne Ave", "Market St",
)
#: (city, region, postal code, phone area code)
CITIES: tuple[tuple[str, str, str, str], ...] = (
    ("Seattle", "WA", "98101", "206"),
    ("Seattle", "WA", "98109", "206"),
    ("Bellevue", "WA", "98004", "425"),
    ("Redmond", "WA", "98052", "425"),
    ("Tacoma", "WA", "98402", "253"),
    ("Everett", "WA", "98201", "425"),
    ("Kent", "WA", "98032", "253"),
    ("Shoreline", "WA", "98133", "206"),
)
