provider "azurerm" {
  features {}
  subscription_id = "00000000-0000-0000-0000-000000000000"
  client_id       = "4f1c2d3e-5a6b-7c8d-9e0f-a1b2c3d4e5f6"
  client_secret   = "Qx8~Zr3.Lm5_Vb7-Nc2Tw9Yp4Hs6Jd1Kf0Ga"
  tenant_id       = "9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4"
}

resource "azurerm_mssql_server" "main" {
  name                         = "app-sql"
  resource_group_name          = var.resource_group
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = "Azur3-SqlAdmin-Pw!"
  public_network_access_enabled = false
}

resource "azurerm_network_security_rule" "rdp" {
  name                        = "allow-rdp"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "3389"
  source_address_prefix       = "0.0.0.0/0"
  destination_address_prefix  = "*"
  resource_group_name         = var.resource_group
  network_security_group_name = "app-nsg"
}

resource "azurerm_network_security_rule" "https" {
  name                        = "allow-https"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefix       = "0.0.0.0/0"
  destination_address_prefix  = "*"
  resource_group_name         = var.resource_group
  network_security_group_name = "app-nsg"
}

resource "azurerm_linux_virtual_machine" "jump" {
  name                            = "jump"
  resource_group_name             = var.resource_group
  location                        = "westeurope"
  size                            = "Standard_B1s"
  admin_username                  = "azureuser"
  admin_password                  = var.admin_password
  disable_password_authentication = false
  network_interface_ids           = [var.nic_id]
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }
}
