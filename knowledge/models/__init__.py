"""SQLAlchemy 2 models of the Partpilot store (seed 000's schema, plus supersession and compatibility rows)."""

from knowledge.models.access import ApiKey, WidgetKey
from knowledge.models.alerts import DealAlert
from knowledge.models.base import EMBEDDING_DIMS, Base
from knowledge.models.catalog import (
    CatalogManufacturer,
    Interchangeability,
    Part,
    PartCategory,
    PartCompatibility,
    PartSupersession,
    Trade,
)
from knowledge.models.channels import ChannelDelivery, ChannelOptOut, ChannelOutboundMessage, ChannelOutbox
from knowledge.models.chat import ChatThread
from knowledge.models.demand import AuctionBid, PartPriceHistory, SavedListing, SellerRating, WantedPost, WantedResponse
from knowledge.models.equipment import Equipment, EquipmentModel
from knowledge.models.inventory import InventoryItem, InventoryMovement, StockLocation
from knowledge.models.marketplace import (
    FulfillmentType,
    ListingStatus,
    ListingType,
    ListingVisibility,
    MarketplaceListing,
    OfferStatus,
    PartCondition,
    PartOffer,
    PartTransaction,
)
from knowledge.models.notifications import (
    Notification,
    NotificationDelivery,
    NotificationPreference,
    NotificationSettings,
)
from knowledge.models.operations import ListingPhoto, Photo, StockHold, ToolCall
from knowledge.models.orders import (
    Cart,
    CartItem,
    InvoiceCounter,
    Order,
    OrderEvent,
    OrderItem,
    ShippingAddress,
    SpendLimit,
)
from knowledge.models.organizations import Organization, OrganizationPartner, OrganizationType, User, UserRole
from knowledge.models.suppliers import Supplier, SupplierBranch, SupplierOffer

__all__ = [
    "EMBEDDING_DIMS",
    "ApiKey",
    "AuctionBid",
    "Base",
    "Cart",
    "CartItem",
    "CatalogManufacturer",
    "ChannelDelivery",
    "ChannelOptOut",
    "ChannelOutboundMessage",
    "ChannelOutbox",
    "ChatThread",
    "DealAlert",
    "Equipment",
    "EquipmentModel",
    "FulfillmentType",
    "Interchangeability",
    "InventoryItem",
    "InventoryMovement",
    "InvoiceCounter",
    "ListingPhoto",
    "ListingStatus",
    "ListingType",
    "ListingVisibility",
    "MarketplaceListing",
    "Notification",
    "NotificationDelivery",
    "NotificationPreference",
    "NotificationSettings",
    "OfferStatus",
    "Order",
    "OrderEvent",
    "OrderItem",
    "Organization",
    "OrganizationPartner",
    "OrganizationType",
    "Part",
    "PartCategory",
    "PartCompatibility",
    "PartCondition",
    "PartOffer",
    "PartPriceHistory",
    "PartSupersession",
    "PartTransaction",
    "Photo",
    "SavedListing",
    "SellerRating",
    "ShippingAddress",
    "SpendLimit",
    "StockHold",
    "StockLocation",
    "Supplier",
    "SupplierBranch",
    "SupplierOffer",
    "ToolCall",
    "Trade",
    "User",
    "UserRole",
    "WantedPost",
    "WantedResponse",
    "WidgetKey",
]
