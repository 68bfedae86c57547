def test_home_page_shows_the_portfolio(client, pm, project):
    client.force_login(pm)
    response = client.get("/")
    assert response.status_code == 200
    assert "ERP upgrade" in response.content.decode()
