"""Value pools for the Olist-mini generator: reference data plus Faker pt_BR pools built once."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

# The 27 federative units: code, share of Olist customers, approximate centre (lat, lng),
# capital, and the 5-digit zip-prefix range (CEP) of the state.
STATES = (
    ("SP", 0.4198, -23.55, -46.63, "São Paulo", 1000, 19999),
    ("RJ", 0.1292, -22.91, -43.20, "Rio de Janeiro", 20000, 28999),
    ("MG", 0.1170, -19.92, -43.94, "Belo Horizonte", 30000, 39999),
    ("RS", 0.0550, -30.03, -51.23, "Porto Alegre", 90000, 99999),
    ("PR", 0.0507, -25.43, -49.27, "Curitiba", 80000, 87999),
    ("SC", 0.0366, -27.60, -48.55, "Florianópolis", 88000, 89999),
    ("BA", 0.0340, -12.97, -38.50, "Salvador", 40000, 48999),
    ("DF", 0.0215, -15.79, -47.88, "Brasília", 70000, 72799),
    ("ES", 0.0204, -20.32, -40.34, "Vitória", 29000, 29999),
    ("GO", 0.0203, -16.68, -49.25, "Goiânia", 72800, 76799),
    ("PE", 0.0166, -8.05, -34.88, "Recife", 50000, 56999),
    ("CE", 0.0134, -3.73, -38.52, "Fortaleza", 60000, 63999),
    ("PA", 0.0098, -1.46, -48.50, "Belém", 66000, 68899),
    ("MT", 0.0091, -15.60, -56.10, "Cuiabá", 78000, 78899),
    ("MA", 0.0075, -2.53, -44.30, "São Luís", 65000, 65999),
    ("MS", 0.0072, -20.44, -54.65, "Campo Grande", 79000, 79999),
    ("PB", 0.0054, -7.12, -34.86, "João Pessoa", 58000, 58999),
    ("PI", 0.0050, -5.09, -42.80, "Teresina", 64000, 64999),
    ("RN", 0.0049, -5.79, -35.21, "Natal", 59000, 59999),
    ("AL", 0.0041, -9.67, -35.74, "Maceió", 57000, 57999),
    ("SE", 0.0035, -10.91, -37.07, "Aracaju", 49000, 49999),
    ("TO", 0.0028, -10.18, -48.33, "Palmas", 77000, 77999),
    ("RO", 0.0025, -8.76, -63.90, "Porto Velho", 76800, 76999),
    ("AM", 0.0015, -3.12, -60.02, "Manaus", 69000, 69299),
    ("AC", 0.0008, -9.97, -67.81, "Rio Branco", 69900, 69999),
    ("AP", 0.0007, 0.03, -51.07, "Macapá", 68900, 68999),
    ("RR", 0.0005, 2.82, -60.67, "Boa Vista", 69300, 69399),
)

# Product categories (Portuguese, English) with a relative popularity, as in the public data.
CATEGORIES = (
    ("cama_mesa_banho", "bed_bath_table", 110),
    ("beleza_saude", "health_beauty", 97),
    ("esporte_lazer", "sports_leisure", 87),
    ("moveis_decoracao", "furniture_decor", 84),
    ("informatica_acessorios", "computers_accessories", 78),
    ("utilidades_domesticas", "housewares", 70),
    ("relogios_presentes", "watches_gifts", 60),
    ("telefonia", "telephony", 45),
    ("ferramentas_jardim", "garden_tools", 44),
    ("automotivo", "auto", 42),
    ("brinquedos", "toys", 41),
    ("cool_stuff", "cool_stuff", 38),
    ("perfumaria", "perfumery", 35),
    ("bebes", "baby", 30),
    ("eletronicos", "electronics", 28),
    ("papelaria", "stationery", 25),
    ("fashion_bolsas_e_acessorios", "fashion_bags_accessories", 20),
    ("pet_shop", "pet_shop", 19),
    ("moveis_escritorio", "office_furniture", 17),
    ("consoles_games", "consoles_games", 11),
    ("malas_acessorios", "luggage_accessories", 11),
    ("construcao_ferramentas_construcao", "construction_tools_construction", 9),
    ("eletrodomesticos", "home_appliances", 8),
    ("instrumentos_musicais", "musical_instruments", 7),
    ("eletroportateis", "small_appliances", 7),
    ("casa_construcao", "home_construction", 6),
    ("livros_interesse_geral", "books_general_interest", 5),
    ("alimentos", "food", 5),
    ("moveis_sala", "furniture_living_room", 5),
    ("casa_conforto", "home_confort", 4),
    ("bebidas", "drinks", 4),
    ("audio", "audio", 4),
    ("market_place", "market_place", 3),
    ("construcao_ferramentas_iluminacao", "construction_tools_lights", 3),
    ("climatizacao", "air_conditioning", 3),
    (
        "moveis_cozinha_area_de_servico_jantar_e_jardim",
        "kitchen_dining_laundry_garden_furniture",
        3,
    ),
    ("industria_comercio_e_negocios", "industry_commerce_and_business", 3),
    ("fashion_calcados", "fashion_shoes", 3),
    ("alimentos_bebidas", "food_drink", 2),
    ("livros_tecnicos", "books_technical", 2),
    ("telefonia_fixa", "fixed_telephony", 2),
    ("artigos_de_natal", "christmas_supplies", 2),
    ("fashion_underwear_e_moda_praia", "fashion_underwear_beach", 1),
    ("sinalizacao_e_seguranca", "signaling_and_security", 1),
    ("agro_industria_e_comercio", "agro_industry_and_commerce", 1),
    ("construcao_ferramentas_jardim", "costruction_tools_garden", 1),
    ("artes", "art", 1),
    ("moveis_quarto", "furniture_bedroom", 1),
    ("eletrodomesticos_2", "home_appliances_2", 1),
    ("cine_foto", "cine_photo", 1),
    ("fashion_roupa_masculina", "fashion_male_clothing", 1),
    ("artigos_de_festas", "party_supplies", 1),
    ("construcao_ferramentas_seguranca", "construction_tools_safety", 1),
    ("livros_importados", "books_imported", 1),
    ("fashion_esporte", "fashion_sport", 1),
    ("flores", "flowers", 1),
    ("musica", "music", 1),
    ("la_cuisine", "la_cuisine", 1),
    ("moveis_colchao_e_estofado", "furniture_mattress_and_upholstery", 1),
    ("dvds_blu_ray", "dvds_blu_ray", 1),
    ("tablets_impressao_imagem", "tablets_printing_image", 1),
    ("casa_conforto_2", "home_comfort_2", 1),
    ("fraldas_higiene", "diapers_and_hygiene", 1),
    ("fashion_roupa_feminina", "fashio_female_clothing", 1),
    ("portateis_casa_forno_e_cafe", "small_appliances_home_oven_and_coffee", 1),
    ("pcs", "computers", 1),
    ("seguros_e_servicos", "security_and_services", 1),
    ("artes_e_artesanato", "arts_and_craftmanship", 1),
    ("cds_dvds_musicais", "cds_dvds_musicals", 1),
    ("fashion_roupa_infanto_juvenil", "fashion_childrens_clothes", 1),
    ("construcao_ferramentas_ferramentas", "construction_tools_tools", 1),
)

# Order status mix of the public data (share of orders).
STATUS_MIX = (
    ("delivered", 0.9702),
    ("shipped", 0.0111),
    ("canceled", 0.0063),
    ("unavailable", 0.0061),
    ("invoiced", 0.0032),
    ("processing", 0.0030),
    ("created", 0.00005),
    ("approved", 0.00002),
)

# Main means of payment of an order (vouchers are added on top).
PAYMENT_MIX = (("credit_card", 0.765), ("boleto", 0.198), ("debit_card", 0.015), ("voucher", 0.022))

# Number of items per order, 1..7.
ITEMS_MIX = (0.895, 0.076, 0.016, 0.007, 0.003, 0.002, 0.001)

# Review scores 1..5 for on-time and for late deliveries.
SCORES_ON_TIME = (0.07, 0.025, 0.075, 0.205, 0.625)
SCORES_LATE = (0.45, 0.10, 0.13, 0.14, 0.18)

_TITLES = (
    "recomendo",
    "Ótimo",
    "Super recomendo",
    "Excelente",
    "Muito bom",
    "Não recebi",
    "Produto com defeito",
    "Bom",
    "Entrega rápida",
    "Veio errado",
    "Amei!",
    'Produto "original"?',
    "Ótimo, recomendo",
    "Demorou, mas chegou",
    "Péssimo",
)
_OPENERS = (
    "Produto muito bom",
    "Chegou antes do prazo",
    "Ainda não recebi o produto",
    "Comprei dois, veio só um",
    "Entrega rápida, produto de qualidade",
    "O produto não é igual ao da foto",
    "Recomendo a loja",
    "Veio com defeito",
    'Diz "original" no anúncio, mas não é',
    "Muito bem embalado",
    "A cor é diferente, mas gostei",
    "Atendimento excelente",
)
_CLOSERS = (
    "Recomendo!",
    "Não recomendo.",
    "Comprarei novamente.",
    "Nota 10.",
    "Estou aguardando a troca.",
    'Vendedor respondeu: "vamos resolver".',
    "Obrigado!",
)


def plain(text: str) -> str:
    """Lower case, accents removed ('São Paulo' -> 'sao paulo'), as Olist writes customer cities."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Pools:
    """Text pools: city names per state, review titles and messages."""

    cities: tuple[tuple[str, ...], ...]  # per STATES entry; the capital first
    titles: tuple[str, ...]
    messages: tuple[str, ...]


def build(seed: int, cities_per_state: int = 12, n_messages: int = 400) -> Pools:
    """Build every pool once from a seeded Faker pt_BR (never one Faker call per row)."""
    from faker import Faker

    fake = Faker("pt_BR")
    fake.seed_instance(seed)
    rng = np.random.default_rng([seed, 7])
    cities = []
    for _, _, _, _, capital, _, _ in STATES:
        names = [capital]
        while len(names) < cities_per_state:
            name = fake.city()
            if name not in names and len(name) <= 60:
                names.append(name)
        cities.append(tuple(names))
    messages = []
    for _ in range(n_messages):
        parts = [_OPENERS[rng.integers(len(_OPENERS))]]
        if rng.random() < 0.5:
            parts.append(", " + fake.catch_phrase().lower())
        parts.append(
            "." + ("\n" if rng.random() < 0.25 else " ") + _CLOSERS[rng.integers(len(_CLOSERS))]
        )
        messages.append("".join(parts))
    return Pools(cities=tuple(cities), titles=_TITLES, messages=tuple(messages))
