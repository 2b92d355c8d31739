print("wabaform")
